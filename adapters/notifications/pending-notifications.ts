import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';

/**
 * A bulk insert's failure that is only "already there" for each document it did not insert. Mongoose
 * copies the driver's write errors into plain objects, which keeps the server's `err` but not the
 * `code` getter, so both places are read.
 */
const onlyDuplicates = (err: unknown): boolean => {
  const writeErrors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] } | null)?.writeErrors;
  return (
    Array.isArray(writeErrors) &&
    writeErrors.length > 0 &&
    writeErrors.every((w) => isDuplicateKeyError(w) || isDuplicateKeyError(w.err))
  );
};

/**
 * Writes the `pending` record of each request before its workflow starts, so an id the API has
 * acknowledged is readable at once. The notify workflow inserts the same `_id` later; that insert
 * (and a retried request with the same id) is a duplicate and changes nothing.
 *
 * One unordered bulk insert, not one insert per request: on FerretDB 100 records took ~1.1 s as
 * 100 inserts (25 at a time) and 50–160 ms as one `insertMany` (docs/performance.md, notifications
 * pass 2). Unordered, a duplicate does not stop the others; duplicates are the only failure ignored.
 */
export async function insertPendingNotifications(
  models: Pick<Models, 'Notification'>,
  requests: (NotificationRequest & { source: string; batchId?: string })[],
): Promise<void> {
  if (!requests.length) return;
  try {
    await models.Notification.insertMany(
      requests.map((r) => ({
        _id: r.notificationId,
        userId: r.userId,
        event: r.event,
        requestedChannels: r.channels ?? null,
        source: r.source,
        batchId: r.batchId ?? null,
      })),
      { ordered: false, throwOnValidationError: true },
    );
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
}
