import { continueAsNew, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';

import type { NotificationBatchActivities } from '../activities/notifications/create-notification-batch-activities';
import {
  type BatchProgress,
  NOTIFY_BATCH_PROGRESS_QUERY,
  type NotifyBatchInput,
} from '../domain/contracts/notify-batch.contract';

/**
 * One page = one activity of up to NOTIFY_BATCH_PAGE_SIZE messages. The heartbeat timeout is what
 * notices a killed worker (its page is retried, resuming at the heartbeated progress); the
 * start-to-close bound leaves room for a page whose messages wait for provider callbacks.
 */
const { deliverNotificationPage } = proxyActivities<NotificationBatchActivities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const progressQuery = defineQuery<BatchProgress>(NOTIFY_BATCH_PROGRESS_QUERY);

/** Pages per run before continue-as-new: each page adds 3 events, so history stays small at any size. */
const PAGES_PER_RUN = 200;
/** Pages in flight at once: one page already sends its messages in parallel; two keep the worker busy between pages. */
const PAGES_IN_FLIGHT = 2;

/**
 * `notify-batch-<batchId>`: a bulk message (a KYC status fan-out, digests, any campaign) costs
 * Temporal work per page, not per message. The recipients are stored pages (notificationBatchPages),
 * so the input is the batch id and the page count. Ops see progress with the `progress` query (and
 * the page activity's heartbeat details) in the Temporal UI.
 */
export async function notifyBatch(input: NotifyBatchInput): Promise<BatchProgress> {
  const totals = { ...(input.totals ?? { sent: 0, failed: 0 }) };
  const first = input.nextPage ?? 0;
  let pagesDone = first;
  let status: BatchProgress['status'] = 'running';
  setHandler(progressQuery, () => ({ batchId: input.batchId, pages: input.pages, pagesDone, status, ...totals }));

  const last = Math.min(input.pages, first + PAGES_PER_RUN);
  let next = first;
  const lane = async () => {
    while (next < last) {
      const page = next++;
      const r = await deliverNotificationPage({ batchId: input.batchId, page });
      totals.sent += r.sent;
      totals.failed += r.failed;
      pagesDone += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGES_IN_FLIGHT, last - first) }, lane));

  if (last < input.pages) await continueAsNew<typeof notifyBatch>({ ...input, nextPage: last, totals });
  status = 'done';
  return { batchId: input.batchId, pages: input.pages, pagesDone, status, ...totals };
}
