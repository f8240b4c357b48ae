import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { conflict } from '../app-error';
import { MAX_WELCOME_RESENDS, resendStaffWelcome, type StaffWelcomeDeps } from './staff-welcome';

export type SendStaffWelcomeAgainDeps = StaffWelcomeDeps & { models: Pick<Models, 'Notification' | 'AuditEvent'> };

/** Why tenant staff records change (seed 002), in every audit event they leave. */
export const TENANT_STAFF_REASON = 'tenant user management (seed 002)';

/**
 * A BANK_ADMIN sends a staff member's welcome again (a new set-password link), audited as
 * `user.welcome_sent`; 409 WELCOME_RESEND_LIMIT once MAX_WELCOME_RESENDS were sent.
 */
export async function sendStaffWelcomeAgain(
  deps: SendStaffWelcomeAgainDeps,
  admin: { userId: string; tenantId: string | null },
  user: Pick<UserDoc, '_id'>,
  audit: { why: string; requestId: string | null },
): Promise<string> {
  const sent = await resendStaffWelcome(deps, { userId: user._id, actorId: admin.userId });
  if (!sent)
    throw conflict('WELCOME_RESEND_LIMIT', `The welcome email was sent ${MAX_WELCOME_RESENDS + 1} times already`);
  await deps.models.AuditEvent.create({
    actor: admin.userId,
    subject: user._id,
    tenantId: admin.tenantId,
    action: 'user.welcome_sent',
    from: null,
    to: { notificationId: sent.notificationId },
    reason: `${TENANT_STAFF_REASON}: ${audit.why}`,
    requestId: audit.requestId,
  });
  return sent.notificationId;
}
