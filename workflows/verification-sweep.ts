import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';

import type { VerificationSweepActivities } from '../activities/verification/create-verification-sweep-activities';
import type { NotificationRequestActivities } from '../domain/contracts/notify.contract';
import { NOTIFY_BATCH_WORKFLOW, notifyBatchWorkflowId } from '../domain/contracts/notify-batch.contract';
import type {
  VerificationSweepBatchResult,
  VerificationSweepResult,
} from '../domain/contracts/verification-sweep.contract';
import { siblingQueue } from '../domain/task-queues';
import { activityProfiles } from './activity-profiles';
import type { notifyBatch } from './notify-batch';

const { buildVerificationDigests, storeVerificationDigestBatch } = proxyActivities<VerificationSweepActivities>(
  activityProfiles.fast,
);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

/**
 * Run by the daily Schedule: one digest per compliance officer of every tenant with overdue or
 * stuck requests. The Schedule gives each run its own workflow id, so notification ids derived
 * from it are unique per day and stable across retries.
 */
export async function verificationSweep(): Promise<VerificationSweepResult | VerificationSweepBatchResult> {
  const { workflowId, taskQueue } = workflowInfo();
  const at = new Date().toISOString();
  if (patched('digests-by-batch')) return digestsByBatch(workflowId, taskQueue, at);

  // Runs recorded before the patch: one `notify-<id>` per officer, one by one.
  const digests = await buildVerificationDigests({ at });
  let notifications = 0;
  for (const d of digests) {
    for (const officerId of d.officerIds) {
      await requestNotification({
        notificationId: `${workflowId}.${d.tenantId}.${officerId}`,
        userId: officerId,
        event: 'compliance_digest',
        data: { overdue: String(d.overdue), stuck: String(d.stuck), sampleRequestIds: d.sampleRequestIds.join(',') },
        channels: ['email'],
      });
      notifications += 1;
    }
  }
  return { tenants: digests.length, notifications };
}

/**
 * All of a pass's digests are one notify batch (docs/notifications.md, "Bulk messages"): one
 * activity stores them as pages, then the batch starts as a child on the notifications queue,
 * abandoned by this run (a provider outage keeps the batch, not the sweep, waiting; the Temporal UI
 * shows it under this run with its `progress` query). Same message ids as before the patch, so the
 * ledger keeps each digest exactly once; a batch already started (a retried run) is that batch.
 */
async function digestsByBatch(
  sweepWorkflowId: string,
  ownQueue: string,
  at: string,
): Promise<VerificationSweepBatchResult> {
  const { batchId, pages, tenants, notifications } = await storeVerificationDigestBatch({ at, sweepWorkflowId });
  if (pages > 0) {
    try {
      await startChild<typeof notifyBatch>(NOTIFY_BATCH_WORKFLOW, {
        workflowId: notifyBatchWorkflowId(batchId),
        taskQueue: siblingQueue(ownQueue, 'notifications'),
        args: [{ batchId, pages }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return { tenants, notifications, batchId };
}
