import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import type { Models } from '../../adapters/models';
import { bridgeObjectOwnerId } from '../../adapters/models/bridge-object-owner';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { highestSlot, insertNextSlot } from '../../adapters/models/slots';
import { type BridgeWebhookRefusal, parseBridgeWebhook } from '../../adapters/providers/bridge/webhook';
import { parseVeriffWebhook, type VeriffWebhookRefusal } from '../../adapters/providers/veriff/webhook';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import type { WebhookSignalDelivery } from './deliver-webhook-signal';

/** Sends acknowledged webhooks soon (the API's dispatcher: services/api/webhooks/webhook-signals.ts). */
export interface WebhookDispatcher {
  /** The pending entry's sealed payload, written beside the inbox entry. */
  seal(id: string, delivery: WebhookSignalDelivery): string;
  /** Never throws: what it cannot send now the sweeper finds in webhookPendingSignals. */
  enqueue(id: string, delivery: WebhookSignalDelivery): void;
  /**
   * A webhook request arrived (before its signature check): the dispatcher's measure of a burst.
   * Counted on arrival, not on the 200, so a saturated ack path does not look like a quiet one.
   */
  arrived?(): void;
}

export interface KycWebhookDeps {
  models: Pick<Models, 'User' | 'BridgeObjectOwner' | 'WebhookEvent' | 'WebhookPendingSignal' | 'WebhookDelivery'>;
  cipher: FieldCipher;
  dispatcher: WebhookDispatcher;
  now: () => Date;
}

export type KycWebhookAck = { received: true; duplicate: boolean };
export type KycWebhookResult =
  { ok: true; ack: KycWebhookAck } | { ok: false; reason: VeriffWebhookRefusal | BridgeWebhookRefusal };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Records a verified event once and answers; the signal goes out right after, off the ack path
 * (docs/webhooks.md). Durable because the pending-signal entry is written with the inbox entry
 * before the 200, and only a delivered signal removes it; the sweeper re-drives what is left.
 */
async function inboxThenSignal(
  deps: KycWebhookDeps,
  e: {
    id: string;
    userId: string | null;
    raw: Buffer;
    inbox: { provider: 'veriff' | 'bridge'; eventType: string };
    delivery: (workflowId: string, userId: string) => WebhookSignalDelivery;
  },
): Promise<KycWebhookAck> {
  const { models, cipher, dispatcher, now } = deps;
  const workflowId = e.userId ? onboardingWorkflowId(e.userId) : null;
  const delivery = workflowId ? e.delivery(workflowId, e.userId!) : null;
  const [pending, inbox] = await Promise.allSettled([
    // Both inserts at once: either failing answers 5xx, so the provider retries, and the retry
    // (a duplicate below) writes the pending entry again if it is missing.
    delivery
      ? models.WebhookPendingSignal.create({
          _id: e.id,
          createdAt: now(),
          deliverySealed: dispatcher.seal(e.id, delivery),
        })
      : null,
    models.WebhookEvent.create({
      _id: e.id,
      ...e.inbox,
      workflowId,
      unroutable: !workflowId,
      payloadSealed: cipher.encrypt(e.raw.toString('utf8'), e.id),
    }),
  ]);
  if (pending.status === 'rejected' && !isDuplicateKeyError(pending.reason)) throw pending.reason;
  if (inbox.status === 'rejected' && !isDuplicateKeyError(inbox.reason)) throw inbox.reason;
  const duplicate = inbox.status === 'rejected';
  if (duplicate) {
    // Counted by insert (webhookDeliveries `<event>#2`, `#3`, …; the first delivery is the inbox
    // entry), not $inc: each delivery stays a record of its own (unpatched FerretDB 1.24 also lost
    // concurrent $incs; our build does not, infra/install-tools.js). The next number is found by
    // `_id` reads, not a count, which FerretDB answers by scanning every event's repeats.
    const last = await highestSlot(models.WebhookDelivery, e.id, Number.MAX_SAFE_INTEGER, 2);
    await insertNextSlot(models.WebhookDelivery, e.id, {
      from: last + 1,
      fields: { eventId: e.id, receivedAt: now() },
    });
    const prior = await models.WebhookEvent.findById(e.id, { signaledAt: 1, unroutable: 1 }).lean();
    if (prior?.signaledAt || prior?.unroutable) {
      // Already delivered: the pending entry this repeat may have written again is not needed
      // (the dispatcher marks `signaledAt` before it deletes, so none is left behind unseen).
      if (pending.status === 'fulfilled' && delivery) await models.WebhookPendingSignal.deleteOne({ _id: e.id });
      return { received: true, duplicate };
    }
  }
  // Not yet delivered (first delivery, or a repeat of one still pending): send it soon.
  if (delivery) dispatcher.enqueue(e.id, delivery);
  return { received: true, duplicate };
}

/** Veriff's event and decision webhooks: verified by the Veriff home, routed by vendorData. */
export async function receiveVeriffWebhook(
  deps: KycWebhookDeps & { veriff: { apiKey: string; sharedSecret: string } },
  req: { body: Buffer; signature: string | undefined; client: string | undefined },
): Promise<KycWebhookResult> {
  deps.dispatcher.arrived?.();
  const parsed = parseVeriffWebhook({
    body: req.body,
    headers: { signature: req.signature, client: req.client },
    ...deps.veriff,
  });
  if (!parsed.ok) return parsed;
  const { eventId, eventType, vendorData, signal } = parsed.event;
  const ack = await inboxThenSignal(deps, {
    id: eventId,
    inbox: { provider: 'veriff', eventType },
    userId: UUID.test(vendorData) ? vendorData : null,
    raw: req.body,
    delivery: (workflowId, owner) => ({ provider: 'veriff', workflowId, userId: owner, signal }),
  });
  return { ok: true, ack };
}

/** Bridge's webhooks: verified (and refused when stale) by the Bridge home, routed by the object's owner. */
export async function receiveBridgeWebhook(
  deps: KycWebhookDeps & { bridge: { publicKeyPem: string; maxAgeMs: number } },
  req: { body: Buffer; signature: string | undefined },
): Promise<KycWebhookResult> {
  deps.dispatcher.arrived?.();
  const parsed = parseBridgeWebhook({
    body: req.body,
    signatureHeader: req.signature,
    nowMs: deps.now().getTime(),
    ...deps.bridge,
  });
  if (!parsed.ok) return parsed;
  const { eventId, eventType, object, signal } = parsed.event;
  // kyc_link events name the link, customer events the customer: both were stored on the user.
  // The owner record is an `_id` read; links recorded before it existed are found on the user.
  const owner = await deps.models.BridgeObjectOwner.findById(bridgeObjectOwnerId(object.kind, object.id)).lean();
  const field = object.kind === 'customer' ? 'kyc.bridge.customerId' : 'kyc.bridge.kycLinkId';
  const user = owner
    ? { _id: owner.userId }
    : await deps.models.User.findOne({ [field]: object.id }, { _id: 1 }).lean();
  const ack = await inboxThenSignal(deps, {
    id: eventId,
    inbox: { provider: 'bridge', eventType },
    userId: user?._id ?? null,
    raw: req.body,
    delivery: (workflowId, userId) => ({ provider: 'bridge', workflowId, userId, signal }),
  });
  return { ok: true, ack };
}
