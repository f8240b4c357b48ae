import { randomUUID } from 'node:crypto';

import type { ProcessConfig } from '../../adapters/config';
import { findUserByEmail } from '../../adapters/identity/find-user-by-email';
import { canRecoverPassword } from '../../adapters/identity/password-reset';
import type { Models } from '../../adapters/models';
import { type PasswordNoticeDeps, sendPasswordNotice } from './password-notices';

/**
 * Emails a reset code if the address has an account that may recover (canRecoverPassword), else
 * does nothing: the caller answers the same either way, before this runs. Each accepted request is
 * a new notification, whose email mints a new code replacing any earlier one (the code never
 * enters workflow history: activities/notifications/send-time-data.ts).
 */
export async function requestPasswordReset(
  deps: PasswordNoticeDeps & { config: ProcessConfig<'api'>; models: Models },
  address: string,
): Promise<void> {
  const user = await findUserByEmail(deps.models, deps.config, address, { _id: 1, status: 1, passwordHash: 1 });
  if (!user || !canRecoverPassword(user)) return;
  await sendPasswordNotice(deps, {
    notificationId: `password-reset-${randomUUID()}`,
    userId: user._id,
    event: 'password_reset_code',
    data: {},
    channels: ['email'],
    source: 'password-forgot',
  });
}
