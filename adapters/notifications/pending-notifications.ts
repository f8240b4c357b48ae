import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import { forEachBounded } from '../bounded-parallel';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';

/**
 * Writes the `pending` record of each request before its workflow starts, so an id the API has
 * acknowledged is readable at once. The notify workflow inserts the same `_id` later; that insert
 * (and a retried request with the same id) is a duplicate and changes nothing.
 */
export async function insertPendingNotifications(
  models: Pick<Models, 'Notification'>,
  requests: (NotificationRequest & { source: string; batchId?: string })[],
): Promise<void> {
  await forEachBounded(requests, 25, async (r) => {
    try {
      await models.Notification.create({
        _id: r.notificationId,
        userId: r.userId,
        event: r.event,
        requestedChannels: r.channels ?? null,
        source: r.source,
        batchId: r.batchId ?? null,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  });
}
