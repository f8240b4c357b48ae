import type { Client, WorkflowHandle } from '@temporalio/client';

import type { ProcessConfig } from '../../adapters/config';
import { registrationUserId } from '../../adapters/crypto/onboarding-digests';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import type { onboarding } from '../../workflows/onboarding';

export interface EmailConfirmationDeps {
  config: ProcessConfig<'api'>;
  models: Pick<Models, 'User'>;
  temporal: Client;
}

/**
 * The user record this address's own self-registration made (its id derives from the address),
 * or null: an `_id` read, never a scan, and staff or partner users (other ids) are not found here.
 */
export async function ownRegistration(
  deps: EmailConfirmationDeps,
  address: string,
): Promise<Pick<UserDoc, '_id' | 'email' | 'emailVerifiedAt'> | null> {
  const id = registrationUserId(deps.config, address);
  const user = (await deps.models.User.findById(id, { email: 1, emailVerifiedAt: 1 }).lean()) as Pick<
    UserDoc,
    '_id' | 'email' | 'emailVerifiedAt'
  > | null;
  return user && user.email === address ? user : null;
}

/** The onboarding workflow of a user. */
export const onboardingHandle = (temporal: Client, userId: string): WorkflowHandle<typeof onboarding> =>
  temporal.workflow.getHandle(onboardingWorkflowId(userId));
