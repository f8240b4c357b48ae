import { Context } from '@temporalio/activity';

import { forEachBounded } from '../../adapters/bounded-parallel';
import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { batchPageId } from '../../adapters/models/notification-batch';
import { insertPendingNotifications } from '../../adapters/notifications/pending-notifications';
import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import type { BatchPageInput, BatchPageResult } from '../../domain/contracts/notify-batch.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import type { DeliveryCore } from './delivery-core';
import type { InFlightLimit } from './in-flight-limit';

export interface BatchActivityDeps {
  config: Pick<Config, 'NOTIFY_BATCH_CONCURRENCY'>;
  models: Pick<Models, 'NotificationBatchPage' | 'Notification'>;
  core: Pick<DeliveryCore, 'deliver'>;
  /** The worker's bound on messages in flight across all its pages (NOTIFY_WORKER_MAX_IN_FLIGHT). */
  inFlight?: InFlightLimit;
}

/** Heartbeat details of a page: how many of its messages, from the first, are finished. */
interface PageProgress {
  done: number;
  sent: number;
  failed: number;
}

/**
 * The batch path's one activity: a page of recipients delivered by the delivery core with bounded
 * concurrency (NOTIFY_BATCH_CONCURRENCY), the provider token buckets metering the requests.
 * Progress is heartbeated as the count of messages finished in order from the page's start; a
 * retried attempt (worker killed, heartbeat timed out) resumes there. Messages after that point that
 * the dead attempt had finished run again, and the ledger makes each of their sends a no-op.
 */
export function createNotificationBatchActivities({ config, models, core, inFlight }: BatchActivityDeps) {
  const limited = <T>(fn: () => Promise<T>) => (inFlight ? inFlight.run(fn) : fn());
  return {
    async deliverNotificationPage(input: BatchPageInput): Promise<BatchPageResult> {
      const ctx = Context.current();
      const page = await models.NotificationBatchPage.findById(batchPageId(input.batchId, input.page)).lean();
      if (!page) throw ActivityFailures.create('NOT_FOUND', `Batch page ${input.page} of ${input.batchId} not found`);
      const resumed = (ctx.info.heartbeatDetails as PageProgress | undefined) ?? { done: 0, sent: 0, failed: 0 };
      const recipients = page.recipients.slice(resumed.done);
      const outcomes = new Array<'sent' | 'failed' | undefined>(recipients.length);
      // The in-order prefix: what the heartbeat reports and a retried attempt skips.
      const prefix = { ...resumed };
      let next = 0;
      const source = `batch:${input.batchId}`;
      const requests = recipients.map((r): NotificationRequest & { source: string } => ({
        notificationId: r.notificationId,
        userId: r.userId,
        event: r.event as NotificationRequest['event'],
        data: { ...(r.data as Record<string, string> | undefined) },
        channels: r.channels?.length ? r.channels : undefined,
        source,
      }));
      // A message awaiting a provider callback can hold the page for a minute: the heartbeat goes on
      // meanwhile, so only a dead worker (not a slow message) times the page out.
      const beat = setInterval(() => ctx.heartbeat(prefix), 2_000);
      try {
        // The page's notification records in one bulk insert (duplicates, e.g. the API's `pending`
        // records, are no-ops), instead of one insert per message in the plan: one write round trip
        // per page, not per recipient (docs/performance.md, notifications pass 2).
        await insertPendingNotifications(
          models,
          requests.map((r) => ({ ...r, batchId: input.batchId })),
        );
        await forEachBounded(
          requests.map((req, i) => ({ req, i })),
          config.NOTIFY_BATCH_CONCURRENCY,
          async ({ req, i }) => {
            outcomes[i] = (await limited(() => core.deliver(req, { recorded: true }))).status;
            for (; next < outcomes.length && outcomes[next]; next++) prefix[outcomes[next]!] += 1;
            prefix.done = resumed.done + next;
            // The SDK throttles heartbeats (to 80 % of the heartbeat timeout): a server write every few
            // seconds, not one per message.
            ctx.heartbeat(prefix);
          },
        );
      } finally {
        clearInterval(beat);
      }
      return { sent: prefix.sent, failed: prefix.failed };
    },
  };
}

export type NotificationBatchActivities = ReturnType<typeof createNotificationBatchActivities>;
