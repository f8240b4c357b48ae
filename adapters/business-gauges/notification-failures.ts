import { type Channel, CHANNELS } from '../../domain/contracts/notify.contract';
import type { Models } from '../models';

/**
 * Failed deliveries per channel recorded since `since`, from the outcome half of the delivery
 * ledger: each delivery has at most one `<deliveryKey>:failed` fact (first reporter wins), and its
 * delivery key ends in `.<channel>` (adapters/notifications/delivery-ledger.ts). The filter on
 * `kind` + `createdAt` is an index hit on MongoDB (the model's `{kind, createdAt}` index); FerretDB
 * scans, which is why the gauge refreshes this at most once a minute. At most `limit` facts are
 * read: past that the channel is failing wholesale and the exact number no longer matters.
 */
export async function readNotificationFailures(
  models: Pick<Models, 'NotificationDeliveryEvent'>,
  opts: { since: Date; maxTimeMs: number; limit?: number },
): Promise<Record<Channel, number>> {
  const facts = await models.NotificationDeliveryEvent.find(
    { kind: 'failed', createdAt: { $gte: opts.since } },
    { deliveryKey: 1, _id: 0 },
  )
    .limit(opts.limit ?? 10_000)
    .maxTimeMS(opts.maxTimeMs)
    .lean();
  const counts = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const f of facts) {
    const channel = f.deliveryKey.slice(f.deliveryKey.lastIndexOf('.') + 1) as Channel;
    if (channel in counts) counts[channel] += 1;
  }
  return counts;
}
