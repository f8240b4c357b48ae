import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';

import type { CaseDoc } from '../../adapters/models/case';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import {
  abandonOnboardingUpdate,
  type OnboardingStep,
  onboardingWorkflowId,
  resendCodeUpdate,
  sendStepReminderNowUpdate,
} from '../../domain/contracts/onboarding.contract';
import { CaseCommandError } from './case-errors';
import { refused } from './onboarding-actions';

type Deps = { temporal: Client };
type Command = { actor: string; reason: string | null };

const runOf = (deps: Deps, c: CaseDoc) =>
  deps.temporal.workflow.getHandle(onboardingWorkflowId(c.ownerUserId ?? c.subjectId));
const caseStep = (c: CaseDoc) => c.why?.step as OnboardingStep;

/**
 * `resend` on onboarding_overdue. Waiting for the email confirmation: a new code, by the run's own
 * resendCode update (the user's "send me a new code", with its rules: it counts towards the resends
 * and waits out the cooldown, 409 RESEND_LIMIT; the address confirmed meanwhile is 409 CASE_MOVED_ON).
 * In a KYC wait: that step's reminder now (sendStepReminderNow). Either way the run's planned
 * reminder and end stay, and so does the case (the user still has to act).
 */
export async function resendForOverdueOnboarding(
  deps: Deps,
  c: CaseDoc,
  cmd: Command,
): Promise<Record<string, string | number>> {
  try {
    if (caseStep(c) === 'awaiting_confirmation') {
      const r = await executeUpdateSurvivingTaskFailures(runOf(deps, c), resendCodeUpdate);
      return { step: 'awaiting_confirmation', sent: 'verification_code', ...r };
    }
    const r = await executeUpdateSurvivingTaskFailures(runOf(deps, c), sendStepReminderNowUpdate, {
      step: caseStep(c),
      actor: cmd.actor,
      reason: cmd.reason,
    });
    return { step: r.step, sent: 'kyc_status_update', notificationId: r.notificationId };
  } catch (err) {
    const f = err instanceof WorkflowUpdateFailedError ? (err.cause as { type?: string; message?: string }) : null;
    if (f?.type === 'RESEND_LIMIT')
      throw new CaseCommandError(409, 'RESEND_LIMIT', f.message ?? 'No code can be sent now', {
        retryAfterSeconds: (err as { cause: { details?: { retryAfterSeconds?: number }[] } }).cause.details?.[0]
          ?.retryAfterSeconds,
      });
    if (f?.type === 'ALREADY_CONFIRMED')
      throw new CaseCommandError(409, 'CASE_MOVED_ON', 'The email was confirmed meanwhile', { onboarding: null });
    return refused(err);
  }
}

/**
 * `cancel` on onboarding_overdue: the run's abandonOnboarding update ends the wait the case names as
 * its deadline would have (outcome `abandoned`), and answers once the run has ended. Another step is
 * 409 CASE_MOVED_ON (WRONG_STEP).
 */
export async function abandonOverdueOnboarding(deps: Deps, c: CaseDoc, cmd: Command) {
  try {
    return await executeUpdateSurvivingTaskFailures(runOf(deps, c), abandonOnboardingUpdate, {
      step: caseStep(c),
      actor: cmd.actor,
      reason: cmd.reason ?? '',
    });
  } catch (err) {
    return refused(err);
  }
}
