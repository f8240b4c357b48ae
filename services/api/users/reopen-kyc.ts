import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';

import {
  ONBOARDING_WORKFLOW,
  type OnboardingInput,
  onboardingWorkflowId,
} from '../../../domain/contracts/onboarding.contract';
import { taskQueues } from '../../../domain/task-queues';
import type { UserStatus } from '../../../domain/vocabulary/users';
import { onboardingPolicy } from '../../../use-cases/onboarding/onboarding-policy';

type ReopenConfig = Parameters<typeof onboardingPolicy>[0] & { TASK_QUEUE_PREFIX: string };

/**
 * A decision sticks until staff reverse it: registering again never reopens a rejected account,
 * but an internal admin's audited status change from `rejected` to `not_verified` does. It is the
 * only way back into KYC. Only a self-registered account that confirmed its address can be reopened.
 */
export const reopensKyc = (from: UserStatus, to: UserStatus, user: { emailVerifiedAt?: Date | null }) =>
  from === 'rejected' && to === 'not_verified' && Boolean(user.emailVerifiedAt);

/**
 * Starts the reopened onboarding run (after the status change was applied and audited): it begins
 * at the KYC session step with a fresh Veriff resubmission allowance (reset explicitly; the audit
 * event of the status change carries the staff member's reason). Keyed by the status change's
 * request id, so a retried request starts it once; a run already open is left alone.
 */
export async function startReopenedOnboarding(
  deps: { temporal: Client; config: ReopenConfig },
  userId: string,
  requestId: string | null,
): Promise<void> {
  const input: OnboardingInput = {
    userId,
    requestFingerprint: `reopened:${requestId ?? 'none'}`,
    policy: onboardingPolicy(deps.config),
    reopened: true,
  };
  try {
    await deps.temporal.workflow.start(ONBOARDING_WORKFLOW, {
      workflowId: onboardingWorkflowId(userId),
      taskQueue: taskQueues(deps.config.TASK_QUEUE_PREFIX).onboarding,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      workflowTaskTimeout: '30 seconds',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
