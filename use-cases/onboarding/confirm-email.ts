import { WorkflowNotFoundError } from '@temporalio/client';

import { confirmationCodeDigest } from '../../adapters/crypto/onboarding-digests';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import { confirmEmailUpdate } from '../../domain/contracts/onboarding.contract';
import { badRequest, conflict } from '../app-error';
import { type EmailConfirmationDeps, onboardingHandle, ownRegistration } from './own-registration';

/**
 * The registrant confirms their address with the 6-digit code. An address with no registration
 * waiting for its code (unknown, staff, a partner's user, or a run that ended unconfirmed) answers
 * exactly like a wrong code, so addresses cannot be probed; the workflow judges the code itself.
 */
export async function confirmEmail(
  deps: EmailConfirmationDeps,
  input: { email: string; code: string },
): Promise<{ userId: string; confirmedAt: string }> {
  const noPendingRegistration = () =>
    badRequest('INVALID_CODE', 'The code is not correct', { remainingAttempts: null });
  const user = await ownRegistration(deps, input.email);
  if (!user) throw noPendingRegistration();
  if (user.emailVerifiedAt) throw conflict('ALREADY_CONFIRMED', 'The email is already confirmed: sign in');
  const codeDigest = confirmationCodeDigest(deps.config, user._id, input.code);
  try {
    const { confirmedAt } = await executeUpdateSurvivingTaskFailures(
      onboardingHandle(deps.temporal, user._id),
      confirmEmailUpdate,
      { codeDigest },
    );
    return { userId: user._id, confirmedAt };
  } catch (err) {
    // The run ended unconfirmed (abandoned): nothing waits for a code here any more.
    if (err instanceof WorkflowNotFoundError) throw noPendingRegistration();
    throw err;
  }
}
