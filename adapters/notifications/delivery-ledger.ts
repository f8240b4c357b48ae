import { type Channel, CHANNELS } from '../../domain/contracts/notify.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';
import type { DeliveryStatus } from '../models/notification-delivery';
import {
  DELIVERY_OUTCOMES,
  type DeliveryOutcome,
  type NotificationDeliveryEventDoc,
} from '../models/notification-delivery-event';
import { PermanentChannelError, RejectedByProvider, type SentMessage } from './channel';

export const deliveryKey = (notificationId: string, channel: Channel) => `${notificationId}.${channel}`;

type LedgerModels = Pick<Models, 'NotificationDelivery' | 'NotificationDeliveryEvent'>;

export interface LedgerDeps {
  models: LedgerModels;
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

/** One delivery as its readers see it: the attempt record, overridden by any recorded outcome. */
export interface DeliveryView {
  key: string;
  channel: Channel;
  status: DeliveryStatus;
  attempts: number;
  sendingAt: Date | null;
  sentAt: Date | null;
  providerMessageId: string | null;
  /** The provider's own word (Twilio MessageStatus, SendGrid event) when a callback reported it. */
  providerStatus: string | null;
  error: { code: string; message: string } | null;
  fallbackFor: Channel[] | null;
  updatedAt: Date;
}

type Fact = Pick<NotificationDeliveryEventDoc, 'source'> &
  Partial<Pick<NotificationDeliveryEventDoc, 'providerMessageId' | 'providerStatus' | 'error'>>;

/** Records a fact once; false when it was already there (the first reporter's version stands). */
async function recordFact(
  models: LedgerModels,
  key: string,
  kind: DeliveryOutcome | `claim.${number}`,
  fact: Fact,
): Promise<boolean> {
  try {
    await models.NotificationDeliveryEvent.create({
      _id: `${key}:${kind}`,
      deliveryKey: key,
      kind: kind.split('.')[0],
      ...fact,
    });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/** Reads one delivery by key: four reads by `_id`, whatever the size of the collections. */
export async function readDelivery(models: LedgerModels, key: string): Promise<DeliveryView | null> {
  const [doc, ...facts] = await Promise.all([
    models.NotificationDelivery.findById(key).lean(),
    ...DELIVERY_OUTCOMES.map((o) => models.NotificationDeliveryEvent.findById(`${key}:${o}`).lean()),
  ]);
  if (!doc) return null;
  const [sent, delivered, failed] = facts;
  // `delivered` and `failed` are both final: the first one reported stands, a later contradiction does not.
  const final = [delivered, failed]
    .filter((f) => f !== null)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  const latest = final ?? sent;
  return {
    key,
    channel: doc.channel,
    status: (latest?.kind as DeliveryOutcome | undefined) ?? doc.status,
    attempts: doc.attempts,
    sendingAt: doc.sendingAt ?? null,
    sentAt: sent?.createdAt ?? (final === delivered ? delivered?.createdAt : null) ?? null,
    providerMessageId: sent?.providerMessageId ?? delivered?.providerMessageId ?? failed?.providerMessageId ?? null,
    providerStatus: latest?.providerStatus ?? null,
    error:
      final?.kind === 'failed' && final.error?.code
        ? { code: final.error.code, message: final.error.message ?? '' }
        : null,
    fallbackFor: doc.fallbackFor ? (doc.fallbackFor.split(',') as Channel[]) : null,
    updatedAt: new Date(Math.max(doc.updatedAt.getTime(), ...facts.map((f) => f?.createdAt.getTime() ?? 0))),
  };
}

/** Every channel's delivery of one notification, by key (no query by `notificationId`, which FerretDB scans for). */
export async function readNotificationDeliveries(
  models: LedgerModels,
  notificationId: string,
): Promise<DeliveryView[]> {
  const views = await Promise.all(
    [...CHANNELS].sort().map((c) => readDelivery(models, deliveryKey(notificationId, c))),
  );
  return views.filter((v): v is DeliveryView => v !== null);
}

type Claim = { claimed: true } | { claimed: false; providerMessageId: string | null };

/**
 * Decides whether this attempt may call the provider. No record yet (the common case): inserting
 * it as `sending` is the claim, the unique key arbitrating between racing attempts. Otherwise the
 * recorded state decides, and a retry that may resend claims the next attempt number with a
 * unique fact, so two racing retries cannot both win (a conditional update would not be atomic
 * on FerretDB, and costs a collection scan there).
 */
async function claim(deps: LedgerDeps, d: DeliveryRef): Promise<Claim> {
  const { NotificationDelivery } = deps.models;
  const now = deps.now ?? (() => new Date());
  try {
    await NotificationDelivery.create({
      _id: d.key,
      notificationId: d.notificationId,
      userId: d.userId,
      channel: d.channel,
      status: 'sending',
      sendingAt: now(),
      attempts: 1,
      fallbackFor: d.fallbackFor?.join(',') ?? null,
    });
    return { claimed: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const current = await readDelivery(deps.models, d.key);
  if (!current) throw new Error('delivery record vanished');
  if (current.status === 'sent' || current.status === 'delivered')
    return { claimed: false, providerMessageId: current.providerMessageId };
  if (current.status === 'failed') {
    throw ActivityFailures.create(
      'PERMANENT_PROVIDER_ERROR',
      current.error?.message ?? 'failed',
      current.error?.code ?? 'FAILED',
    );
  }
  if (
    current.status === 'sending' &&
    !d.idempotentProvider &&
    now().getTime() - (current.sendingAt?.getTime() ?? 0) < deps.reconcileWindowMs
  ) {
    throw ActivityFailures.create(
      'AWAITING_CONFIRMATION',
      'An earlier attempt may have reached the provider; waiting for its callback',
    );
  }
  const attempt = current.attempts + 1;
  if (!(await recordFact(deps.models, d.key, `claim.${attempt}`, { source: 'worker' }))) {
    throw ActivityFailures.create('CONCURRENT_ATTEMPT', 'Another attempt holds this delivery');
  }
  // Only the claim holder writes the record from here on, so a plain `_id` write is safe.
  await NotificationDelivery.updateOne(
    { _id: d.key },
    { $set: { status: 'sending', sendingAt: now(), attempts: attempt } },
  );
  return { claimed: true };
}

/**
 * Exactly-once around one provider call. The delivery record (unique `_id` = delivery key) is
 * claimed as `sending` BEFORE the call and a `sent` fact (with the provider's id) is recorded
 * AFTER it. A retry that finds:
 *  - `sent`/`delivered`: the earlier attempt got through; return without calling the provider;
 *  - `sending`: an attempt died between the call and the record (crash, lost response). The
 *    provider's status callback carries our delivery key and records the outcome, so we wait
 *    (retryable AWAITING_CONFIRMATION) for up to the reconcile window; only if no callback came
 *    do we resend. A provider that deduplicates (`idempotent`) is resent at once.
 * Every write on this path is an insert or a write by `_id` alone: both stay flat as the ledger
 * grows, on MongoDB and on FerretDB alike.
 */
export async function sendOnce(
  deps: LedgerDeps,
  d: DeliveryRef,
  send: () => Promise<SentMessage>,
): Promise<{ providerMessageId: string | null; alreadySent: boolean }> {
  const c = await claim(deps, d);
  if (!c.claimed) return { providerMessageId: c.providerMessageId, alreadySent: true };

  let sent: SentMessage;
  try {
    sent = await send();
  } catch (err) {
    if (err instanceof PermanentChannelError) {
      await recordFact(deps.models, d.key, 'failed', {
        source: 'worker',
        error: { code: err.code, message: err.message },
      });
      throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', err.message, err.code);
    }
    // The provider answered "no": nothing was sent, so the next attempt need not reconcile.
    if (err instanceof RejectedByProvider)
      await deps.models.NotificationDelivery.updateOne({ _id: d.key }, { $set: { status: 'pending' } });
    throw err;
  }
  // A fast status callback may have recorded `sent` first, with the same provider id: either stands.
  await recordFact(deps.models, d.key, 'sent', { source: 'worker', providerMessageId: sent.providerMessageId });
  return { providerMessageId: sent.providerMessageId, alreadySent: false };
}

/**
 * The other half of the protocol: a signed provider callback (Twilio status, SendGrid event)
 * records an outcome for a delivery by its key. Repeated callbacks are no-ops and out-of-order
 * ones cannot undo a final outcome (see `readDelivery`). Returns whether anything was recorded.
 */
export async function recordProviderStatus(
  models: LedgerModels,
  key: string,
  update: {
    status: DeliveryOutcome;
    providerStatus: string;
    providerMessageId?: string;
    error?: { code: string; message: string };
  },
): Promise<boolean> {
  // A key we never claimed can only be stale or misdirected: nothing to record against.
  if (!(await models.NotificationDelivery.exists({ _id: key }))) return false;
  return recordFact(models, key, update.status, {
    source: 'callback',
    providerStatus: update.providerStatus,
    providerMessageId: update.providerMessageId ?? null,
    error: update.error ?? null,
  });
}
