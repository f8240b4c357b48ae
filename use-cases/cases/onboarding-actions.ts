import type { Client } from '@temporalio/client';
import { WorkflowUpdateFailedError } from '@temporalio/client';

import type { CaseDoc } from '../../adapters/models/case';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import {
  extendStepDeadlineUpdate,
  MAX_STEP_EXTENSION_HOURS,
  moveToManualReviewUpdate,
  type OnboardingStep,
  onboardingWorkflowId,
} from '../../domain/contracts/onboarding.contract';
import { CaseCommandError } from './case-errors';

/** The failure type an update was refused with (validator or handler). */
const failureOf = (err: unknown) =>
  err instanceof WorkflowUpdateFailedError
    ? ((err.cause as { type?: string; details?: unknown[]; message?: string } | undefined) ?? null)
    : null;

/** The run's refusal, as the case API answers it: another step is a case that moved on. */
export function refused(err: unknown): never {
  const f = failureOf(err);
  if (f?.type === 'WRONG_STEP')
    throw new CaseCommandError(409, 'CASE_MOVED_ON', f.message ?? 'The onboarding moved on', {
      onboarding: f.details?.[0] ?? null,
    });
  if (f?.type === 'VALIDATION_ERROR') throw new CaseCommandError(400, 'VALIDATION_ERROR', f.message ?? 'Invalid');
  throw err;
}

/**
 * `move_to_manual_review` on a resubmission case: the run's moveToManualReview update applies a
 * `review` of the current session (the user becomes pending_verification, the run waits for a
 * decision), so the kyc_review case and its approve/reject follow.
 */
export async function moveOnboardingToManualReview(
  deps: { temporal: Client },
  c: CaseDoc,
  cmd: { actor: string; reason: string | null },
): Promise<{ step: string; kycStatus: string }> {
  try {
    return await executeUpdateSurvivingTaskFailures(
      deps.temporal.workflow.getHandle(onboardingWorkflowId(c.ownerUserId ?? c.subjectId)),
      moveToManualReviewUpdate,
      { actor: cmd.actor, reason: cmd.reason ?? '' },
    );
  } catch (err) {
    return refused(err);
  }
}

/**
 * `extend_deadline` on an onboarding case: the run's extendStepDeadline update moves the end of the
 * wait the case names (`why.step`) later by `hours`. The run refuses another step (WRONG_STEP): the
 * onboarding moved on since the case was read, a 409 CASE_MOVED_ON naming the step it is at now.
 */
export async function extendOnboardingDeadline(
  deps: { temporal: Client },
  c: CaseDoc,
  cmd: { actor: string; reason: string | null; hours?: number },
): Promise<{ step: string; endsAt: string; extendedHours: number }> {
  const hours = cmd.hours ?? 0;
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_STEP_EXTENSION_HOURS)
    throw new CaseCommandError(
      400,
      'VALIDATION_ERROR',
      `hours must be a whole number from 1 to ${MAX_STEP_EXTENSION_HOURS}`,
    );
  try {
    return await executeUpdateSurvivingTaskFailures(
      deps.temporal.workflow.getHandle(onboardingWorkflowId(c.ownerUserId ?? c.subjectId)),
      extendStepDeadlineUpdate,
      { step: c.why?.step as OnboardingStep, hours, actor: cmd.actor, reason: cmd.reason ?? '' },
    );
  } catch (err) {
    return refused(err);
  }
}
