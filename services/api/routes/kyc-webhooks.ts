import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import { z } from 'zod';
import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import { verifyBridgeWebhook } from '../../../adapters/providers/bridge-signature';
import { isValidVeriffSignature } from '../../../adapters/providers/veriff-signature';
import { VERIFF_STATUSES as VERIFF_STATUS_LIST, onboardingWorkflowId, type BridgeEventSignal, type VeriffEventSignal } from '../../../domain/contracts/onboarding.contract';
import type { ApiDeps } from '../deps';
import { AppError, badRequest, unauthorized } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { isDuplicateKeyError } from '../../../adapters/models/duplicate-key';
import { highestSlot, insertNextSlot } from '../../../adapters/models/slots';
import { bridgeObjectOwnerId } from '../../../adapters/models/bridge-object-owner';
import { apiWebhookSignals, type WebhookSignalDelivery } from '../webhooks/webhook-signals';

const VERIFF_STATUSES = new Set<VeriffEventSignal['status']>(VERIFF_STATUS_LIST);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ackSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });

function parseJson(raw: Buffer): Record<string, unknown> {
  try {
    const v = JSON.parse(raw.toString('utf8'));
    if (v && typeof v === 'object') return v;
  } catch {
    /* below */
  }
  throw badRequest('INVALID_JSON', 'The request body is not valid JSON');
}

/** Veriff's event webhook (`action`) and decision webhook (`verification`) → one signal shape. */
function normaliseVeriff(body: Record<string, unknown>): { userId: string; signal: VeriffEventSignal } {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  if (body.verification && typeof body.verification === 'object') {
    const v = body.verification as Record<string, unknown>;
    const status = s(v.status) as VeriffEventSignal['status'];
    if (!s(v.id) || !VERIFF_STATUSES.has(status)) throw badRequest('UNSUPPORTED_EVENT', 'Unknown Veriff decision');
    const eventKey = `decision:${v.id}:${s(v.attemptId) ?? '-'}:${status}:${s(v.decisionTime) ?? '-'}`;
    return {
      userId: s(v.vendorData) ?? '',
      signal: { eventKey, sessionId: s(v.id)!, kind: 'decision', status, code: typeof v.code === 'number' ? v.code : null, reason: s(v.reason) },
    };
  }
  const action = s(body.action) as VeriffEventSignal['status'];
  if (!s(body.id) || (action !== 'started' && action !== 'submitted')) throw badRequest('UNSUPPORTED_EVENT', 'Unknown Veriff event');
  return {
    userId: s(body.vendorData) ?? '',
    signal: { eventKey: `event:${body.id}:${s(body.attemptId) ?? '-'}:${action}`, sessionId: s(body.id)!, kind: 'event', status: action, code: typeof body.code === 'number' ? body.code : null, reason: null },
  };
}

/**
 * Provider webhooks: signature over the raw body → inbox (unique on the provider's event
 * identity, so duplicates stop there) → signal the owning onboarding workflow → 2xx fast.
 * Mounted before the JSON parser: signatures are checked on the exact bytes received.
 */
export function kycWebhooksRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const { config, models } = deps;
  const raw = express.raw({ type: '*/*', limit: config.BODY_LIMIT });
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  const now = () => (deps.now ? deps.now() : new Date());
  const signals = deps.webhookSignals ?? apiWebhookSignals(deps);

  /**
   * Records the event once and answers; the signal goes out right after, off the ack path
   * (docs/webhooks.md). Durable because the pending-signal entry is written with the inbox entry
   * before the 200, and only a delivered signal removes it; the sweeper re-drives what is left.
   */
  async function inboxThenSignal(e: {
    id: string;
    userId: string | null;
    raw: Buffer;
    inbox: { provider: 'veriff' | 'bridge'; eventType: string };
    delivery: (workflowId: string, userId: string) => WebhookSignalDelivery;
  }) {
    const workflowId = e.userId ? onboardingWorkflowId(e.userId) : null;
    const delivery = workflowId ? e.delivery(workflowId, e.userId!) : null;
    const [pending, inbox] = await Promise.allSettled([
      // Both inserts at once: either failing answers 5xx, so the provider retries, and the retry
      // (a duplicate below) writes the pending entry again if it is missing.
      delivery ? models.WebhookPendingSignal.create({ _id: e.id, createdAt: now(), deliverySealed: signals.seal(e.id, delivery) }) : null,
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
      // entry), not $inc: concurrent duplicates would lose increments. The next number is found by
      // `_id` reads, not a count, which FerretDB answers by scanning every event's repeats.
      const last = await highestSlot(models.WebhookDelivery, e.id, Number.MAX_SAFE_INTEGER, 2);
      await insertNextSlot(models.WebhookDelivery, e.id, { from: last + 1, fields: { eventId: e.id, receivedAt: now() } });
      const prior = await models.WebhookEvent.findById(e.id, { signaledAt: 1, unroutable: 1 }).lean();
      if (prior?.signaledAt || prior?.unroutable) {
        // Already delivered: the pending entry this repeat may have written again is not needed
        // (the dispatcher marks `signaledAt` before it deletes, so none is left behind unseen).
        if (pending.status === 'fulfilled' && delivery) await models.WebhookPendingSignal.deleteOne({ _id: e.id });
        return { received: true as const, duplicate };
      }
    }
    // Not yet delivered (first delivery, or a repeat of one still pending): send it soon.
    if (delivery) signals.enqueue(e.id, delivery);
    return { received: true as const, duplicate };
  }

  const invalidSignature = () => unauthorized('The webhook signature is not valid', 'INVALID_SIGNATURE');
  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/webhook-kyc',
      summary: 'Veriff event and decision webhooks (X-HMAC-SIGNATURE over the raw body)',
      tags: ['Webhooks'],
      before: [raw],
      request: { headers: z.object({ 'x-hmac-signature': z.string(), 'x-auth-client': z.string().optional() }), headersError: invalidSignature },
      responses: { 200: { description: 'Accepted (also for duplicates)', data: ackSchema }, 401: { description: 'INVALID_SIGNATURE' } },
      handler: async ({ req, headers }) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const client = headers['x-auth-client'];
        if ((client && client !== config.VERIFF_API_KEY) || !isValidVeriffSignature(config.VERIFF_SHARED_SECRET, body, headers['x-hmac-signature'])) {
          throw invalidSignature();
        }
        const { userId, signal } = normaliseVeriff(parseJson(body));
        const data = await inboxThenSignal({
          id: `veriff:${signal.eventKey}`,
          inbox: { provider: 'veriff', eventType: `${signal.kind}.${signal.status}` },
          userId: UUID.test(userId) ? userId : null,
          raw: body,
          delivery: (workflowId, owner) => ({ provider: 'veriff', workflowId, userId: owner, signal }),
        });
        return { data };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/webhook/kyc',
      summary: 'Bridge webhooks (X-Webhook-Signature: RSA-SHA256 over "<t>.<raw body>", stale events refused)',
      tags: ['Webhooks'],
      before: [raw],
      request: { headers: z.object({ 'x-webhook-signature': z.string() }), headersError: invalidSignature },
      responses: {
        200: { description: 'Accepted (also for duplicates)', data: ackSchema },
        400: { description: 'STALE_WEBHOOK or an unreadable event' },
        401: { description: 'INVALID_SIGNATURE' },
      },
      handler: async ({ req, headers }) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const check = verifyBridgeWebhook({
          publicKeyPem: config.BRIDGE_WEBHOOK_PUBLIC_KEY,
          header: headers['x-webhook-signature'],
          body,
          nowMs: now().getTime(),
          maxAgeMs: config.BRIDGE_WEBHOOK_MAX_AGE_SECONDS * 1000,
        });
        if (!check.ok) {
          throw check.reason === 'STALE_WEBHOOK'
            ? new AppError(400, 'STALE_WEBHOOK', 'The webhook timestamp is too old')
            : invalidSignature();
        }
        const event = parseJson(body);
        const obj = (event.event_object ?? {}) as Record<string, unknown>;
        const category = String(event.event_category ?? '');
        const objectId = String(event.event_object_id ?? obj.id ?? '');
        if (typeof event.event_id !== 'string' || !objectId) throw badRequest('UNSUPPORTED_EVENT', 'Not a Bridge event');
        // kyc_link events name the link, customer events the customer: both were stored on the user.
        // The owner record is an `_id` read; links recorded before it existed are found on the user.
        const field = category === 'customer' ? 'kyc.bridge.customerId' : 'kyc.bridge.kycLinkId';
        const owner = await models.BridgeObjectOwner.findById(bridgeObjectOwnerId(category === 'customer' ? 'customer' : 'kyc_link', objectId)).lean();
        const user = owner ? { _id: owner.userId } : await models.User.findOne({ [field]: objectId }, { _id: 1 }).lean();
        const signal: BridgeEventSignal = {
          eventId: event.event_id,
          createdAtMs: Date.parse(String(event.event_created_at ?? '')) || check.timestampMs,
          kycStatus: typeof obj.kyc_status === 'string' ? obj.kyc_status : category === 'customer' && typeof obj.status === 'string' ? customerKycStatus(obj.status) : null,
          tosStatus: typeof obj.tos_status === 'string' ? obj.tos_status : obj.has_accepted_terms_of_service === true ? 'approved' : null,
          rejectionReasons: Array.isArray(obj.rejection_reasons) ? obj.rejection_reasons.map((r) => String((r as { reason?: string })?.reason ?? r)) : [],
        };
        const data = await inboxThenSignal({
          id: `bridge:${event.event_id}`,
          inbox: { provider: 'bridge', eventType: String(event.event_type ?? category) },
          userId: user?._id ?? null,
          raw: body,
          // Once the onboarding has ended, the dispatcher hands it to the account workflow.
          delivery: (workflowId, owner) => ({ provider: 'bridge', workflowId, userId: owner, signal }),
        });
        return { data };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}

/** A Bridge customer's `status` in kyc_link vocabulary (`active` means KYC approved). */
function customerKycStatus(status: string): string {
  return status === 'active' ? 'approved' : status;
}
