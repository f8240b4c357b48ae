import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';

import {
  type BatchRecipient,
  NOTIFY_BATCH_WORKFLOW,
  type NotifyBatchInput,
  notifyBatchWorkflowId,
} from '../../domain/contracts/notify-batch.contract';
import { forEachBounded } from '../bounded-parallel';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';
import { batchPageId } from '../models/notification-batch';

const insertOnce = async (create: () => Promise<unknown>) => {
  try {
    await create();
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
};

/**
 * Stores a batch's recipients in pages, then its record (insert-first: a repeated call with the
 * same batch id finds them there and changes nothing). Returns the page count the workflow needs.
 */
export async function storeNotificationBatch(
  models: Pick<Models, 'NotificationBatch' | 'NotificationBatchPage'>,
  batch: { batchId: string; source: string; recipients: BatchRecipient[]; pageSize: number },
): Promise<{ pages: number }> {
  const pages: BatchRecipient[][] = [];
  for (let i = 0; i < batch.recipients.length; i += batch.pageSize)
    pages.push(batch.recipients.slice(i, i + batch.pageSize));
  await forEachBounded(
    pages.map((recipients, page) => ({ recipients, page })),
    8,
    ({ recipients, page }) =>
      insertOnce(() =>
        models.NotificationBatchPage.create({
          _id: batchPageId(batch.batchId, page),
          batchId: batch.batchId,
          page,
          recipients,
        }),
      ),
  );
  await insertOnce(() =>
    models.NotificationBatch.create({
      _id: batch.batchId,
      source: batch.source,
      recipients: batch.recipients.length,
      pages: pages.length,
    }),
  );
  return { pages: pages.length };
}

/** Starts `notify-batch-<batchId>`; one that already ran (or runs) is success (REJECT_DUPLICATE). */
export async function startNotificationBatch(
  client: Client,
  taskQueue: string,
  input: NotifyBatchInput,
): Promise<{ started: boolean }> {
  try {
    await client.workflow.start(NOTIFY_BATCH_WORKFLOW, {
      workflowId: notifyBatchWorkflowId(input.batchId),
      taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false };
    throw err;
  }
}
