import { ApplicationFailure } from '@temporalio/common';
import type { Models } from '../../services/common/models';
import type { DeliveryStatus } from '../../services/common/models/notification-delivery';
import type { Channel } from '../../workflows/notify.contract';
import { PermanentChannelError, RejectedByProvider, type SentMessage } from './channels/channel';

export const deliveryKey = (notificationId: string, channel: Channel) => `${notificationId}.${channel}`;

const DONE: DeliveryStatus[] = ['sent', 'delivered'];

export interface LedgerDeps {
  models: Pick<Models, 'NotificationDelivery'>;
  reconcileWindowMs: number;
  now?: () => Date;
}

interface DeliveryRef {
  key: string;
  notificationId: string;
  userId: string;
  channel: Channel;
  fallbackFor?: Channel[];
  idempotentProvider: boolean;
}

type Claim = { claimed: true } | { claimed: false; providerMessageId: string | null };

/**
 * Decides whether this attempt may call the provider. No record yet (the common case): inserting
 * it as `sending` is the claim, the unique key arbitrating between racing attempts. Otherwise
 * the record's state decides; a compare-and-set on that state is the claim.
 */
async function claim(deps: LedgerDeps, d: DeliveryRef): Promise<Claim> {
  const { NotificationDelivery } = deps.models;
  const now = deps.now ?? (() => new Date());
  try {
    await NotificationDelivery.create({
      _id: d.key, notificationId: d.notificationId, userId: d.userId, channel: d.channel,
      status: 'sending', sendingAt: now(), attempts: 1, fallbackFor: d.fallbackFor?.join(',') ?? null,
    });
    return { claimed: true };
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
  const current = await NotificationDelivery.findById(d.key).lean();
  if (!current) throw new Error('delivery record vanished');
  if (DONE.includes(current.status)) return { claimed: false, providerMessageId: current.providerMessageId ?? null };
  if (current.status === 'failed') {
    throw ApplicationFailure.create({ type: 'PermanentProviderError', nonRetryable: true, message: current.error?.message ?? 'failed', details: [current.error?.code ?? 'FAILED'] });
  }
  if (current.status === 'sending' && !d.idempotentProvider && now().getTime() - (current.sendingAt?.getTime() ?? 0) < deps.reconcileWindowMs) {
    throw ApplicationFailure.create({ type: 'AwaitingConfirmation', message: 'An earlier attempt may have reached the provider; waiting for its callback' });
  }
  const won = await NotificationDelivery.updateOne(
    { _id: d.key, status: current.status, attempts: current.attempts },
    { $set: { status: 'sending', sendingAt: now() }, $inc: { attempts: 1 } },
  );
  if (won.modifiedCount !== 1) throw ApplicationFailure.create({ type: 'ConcurrentAttempt', message: 'Another attempt holds this delivery' });
  return { claimed: true };
}

/**
 * Exactly-once around one provider call. The delivery record (unique `_id` = delivery key) is
 * `sending` BEFORE the call and `sent` (with the provider's id) AFTER it. A retry that finds:
 *  - `sent`/`delivered`: the earlier attempt got through; return without calling the provider;
 *  - `sending`: an attempt died between the call and the record (crash, lost response). The
 *    provider's status callback carries our delivery key and moves the record to sent/delivered,
 *    so we wait (retryable AwaitingConfirmation) for up to the reconcile window; only if no
 *    callback came do we resend. A provider that deduplicates (`idempotent`) is resent at once.
 */
export async function sendOnce(deps: LedgerDeps, d: DeliveryRef, send: () => Promise<SentMessage>): Promise<{ providerMessageId: string | null; alreadySent: boolean }> {
  const { NotificationDelivery } = deps.models;
  const now = deps.now ?? (() => new Date());
  const c = await claim(deps, d);
  if (!c.claimed) return { providerMessageId: c.providerMessageId, alreadySent: true };

  let sent: SentMessage;
  try {
    sent = await send();
  } catch (err) {
    if (err instanceof PermanentChannelError) {
      await NotificationDelivery.updateOne({ _id: d.key }, { $set: { status: 'failed', error: { code: err.code, message: err.message } } });
      throw ApplicationFailure.create({ type: 'PermanentProviderError', nonRetryable: true, message: err.message, details: [err.code] });
    }
    // The provider answered "no": nothing was sent, so the next attempt need not reconcile.
    if (err instanceof RejectedByProvider) await NotificationDelivery.updateOne({ _id: d.key, status: 'sending' }, { $set: { status: 'pending' } });
    throw err;
  }
  // A fast status callback may already have moved the record on; never move it back.
  const recorded = await NotificationDelivery.updateOne(
    { _id: d.key, status: 'sending' },
    { $set: { status: 'sent', sentAt: now(), providerMessageId: sent.providerMessageId } },
  );
  if (recorded.modifiedCount === 0) {
    await NotificationDelivery.updateOne({ _id: d.key, providerMessageId: null }, { $set: { providerMessageId: sent.providerMessageId, sentAt: now() } });
  }
  return { providerMessageId: sent.providerMessageId, alreadySent: false };
}

/** Order of delivery states: a callback only ever moves a record forward (out-of-order safe). */
const RANK: Record<DeliveryStatus, number> = { pending: 0, skipped: 0, sending: 1, sent: 2, delivered: 3, failed: 3 };

/**
 * The other half of the protocol: a signed provider callback (Twilio status, SendGrid event)
 * confirms or fails a delivery by its key. Repeated and out-of-order callbacks converge.
 */
export async function recordProviderStatus(
  models: Pick<Models, 'NotificationDelivery'>,
  key: string,
  update: { status: 'sent' | 'delivered' | 'failed'; providerStatus: string; providerMessageId?: string; error?: { code: string; message: string } },
): Promise<boolean> {
  // Most callbacks change nothing (repeats, `sent` after the worker recorded it): a read is cheaper than a write.
  const current = await models.NotificationDelivery.findById(key, { status: 1 }).lean();
  if (!current || RANK[current.status] >= RANK[update.status]) return false;
  const lower = (Object.keys(RANK) as DeliveryStatus[]).filter((s) => RANK[s] < RANK[update.status]);
  const $set: Record<string, unknown> = { status: update.status, providerStatus: update.providerStatus, providerStatusAt: new Date() };
  if (update.error) $set.error = update.error;
  // The provider's id also fills the gap when the worker died before recording it. (It is the
  // same id the worker records, so setting it again is harmless; one write per callback.)
  if (update.providerMessageId) $set.providerMessageId = update.providerMessageId;
  const res = await models.NotificationDelivery.updateOne({ _id: key, status: { $in: lower } }, { $set });
  return res.modifiedCount === 1;
}
