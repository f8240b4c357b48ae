import { WorkflowNotFoundError } from '@temporalio/client';

import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import { resendCodeUpdate } from '../../domain/contracts/onboarding.contract';
import { conflict } from '../app-error';
import { type EmailConfirmationDeps, onboardingHandle, ownRegistration } from './own-registration';

/**
 * A new confirmation code for the registrant (the workflow limits how many and how often). Like
 * confirm, an address with no registration waiting for a code answers as if one were sent.
 */
export async function resendConfirmationCode(deps: EmailConfirmationDeps, input: { email: string }): Promise<void> {
  const user = await ownRegistration(deps, input.email);
  if (user?.emailVerifiedAt) throw conflict('ALREADY_CONFIRMED', 'The email is already confirmed: sign in');
  if (!user) return;
  try {
    await executeUpdateSurvivingTaskFailures(onboardingHandle(deps.temporal, user._id), resendCodeUpdate);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
