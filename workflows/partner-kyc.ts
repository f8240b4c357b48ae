import {
  ActivityFailure,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

import type { NotificationRequestActivities } from '../domain/contracts/notify.contract';
import {
  type CheckOutcome,
  type PartnerKycActivities,
  type PartnerKycInput,
  type PartnerKycProviderActivities,
  type PartnerKycResult,
  partnerKycStateQuery,
  submitDocumentSignal,
  tierPassedSignal,
  transactionHoldWorkflowId,
} from '../domain/contracts/partner-kyc.contract';
import { siblingQueue } from '../domain/task-queues';
import { activityProfiles } from './activity-profiles';

const db = proxyActivities<PartnerKycActivities>(activityProfiles.fast);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

const PROVIDER_UNAVAILABLE: CheckOutcome = {
  decision: 'rejected',
  description: 'Provider Unavailable',
  resultCode: 'unavailable',
};

/**
 * One user's submissions of one catalog document, checked one at a time. A submission that
 * arrives while another is being checked waits; of several waiting, only the latest is checked
 * (the partner's newest data wins, older queued ones are superseded). After `idleMinutes` without
 * a submission the workflow completes; a later submission starts a new run with the same id.
 */
export async function partnerKyc(input: PartnerKycInput): Promise<PartnerKycResult> {
  const { workflowId, taskQueue } = workflowInfo();
  const provider = proxyActivities<PartnerKycProviderActivities>({
    ...activityProfiles.provider,
    taskQueue: siblingQueue(taskQueue, 'kycProviders'),
  });
  let waiting: string | null = null;
  let checked = 0;
  let last: CheckOutcome | null = null;

  setHandler(submitDocumentSignal, ({ submissionId }) => {
    waiting = submissionId;
  });
  setHandler(partnerKycStateQuery, () => ({ checked, queued: waiting ? 1 : 0, last }));

  for (;;) {
    const got = await condition(() => waiting !== null, `${input.idleMinutes} minutes`);
    if (!got) return { checked, last };
    const submissionId = waiting!;
    waiting = null;
    const { documentType } = await db.beginPartnerKycCheck({ submissionId });
    last = await check(submissionId, documentType);
    checked += 1;
    const recorded = await db.recordPartnerKycOutcome({ submissionId, outcome: last });
    for (const transactionId of recorded.heldTransactionIds) {
      // A hold that already ended ignores nothing and is simply not found: either is fine.
      await getExternalWorkflowHandle(transactionHoldWorkflowId(transactionId))
        .signal(tierPassedSignal, { tier: recorded.passedTier })
        .catch(() => undefined);
    }
    await requestNotification({
      notificationId: `${workflowId}.${submissionId}`,
      userId: input.userId,
      ...(last.decision === 'approved'
        ? { event: 'kyc_approved' as const, data: {} }
        : { event: 'kyc_declined' as const, data: { reason: last.description } }),
    });
  }

  async function check(submissionId: string, documentType: 'basic' | 'advanced'): Promise<CheckOutcome> {
    try {
      if (documentType === 'basic') return await provider.verifyBasicDocument({ submissionId });
      const { jobId } = await provider.submitDocumentJob({ submissionId });
      return await provider.documentJobResult({ submissionId, jobId });
    } catch (err) {
      // The provider stayed down through every retry: the partner may submit again later.
      if (err instanceof ActivityFailure) return PROVIDER_UNAVAILABLE;
      throw err;
    }
  }
}
