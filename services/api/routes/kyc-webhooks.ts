import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import express from 'express';
import { z } from 'zod';
import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import { verifyBridgeWebhook } from '../../../adapters/providers/bridge-signature';
import { isValidVeriffSignature } from '../../../adapters/providers/veriff-signature';
import {
  bridgeEventSignal,
  onboardingWorkflowId,
  veriffEventSignal,
  type BridgeEventSignal,
  type VeriffEventSignal,
} from '../../../domain/contracts/onboarding.contract';
import { ACCOUNT_WORKFLOW, accountWorkflowId, type AccountInput } from '../../../domain/contracts/account.contract';
import { taskQueues } from '../../../domain/task-queues';
import type { ApiDeps } from '../deps';
import { AppError, badRequest, unauthorized } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { isDuplicateKeyError } from '../../../adapters/models/duplicate-key';
import { insertNextSlot } from '../../../adapters/models/slots';
import { bridgeObjectOwnerId } from '../../../adapters/models/bridge-object-owner';

const VERIFF_STATUSES = new Set<VeriffEventSignal['status']>(['started', 'submitted', 'approved', 'declined', 'resubmission_requested', 'expired', 'abandoned', 'review']);
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
  const { config, models, temporal } = deps;
  const raw = express.raw({ type: '*/*', limit: config.BODY_LIMIT });
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  const now = () => (deps.now ? deps.now() : new Date());
  const queues = taskQueues(config.TASK_QUEUE_PREFIX);

  /** Records the event once; signals until one signal got through (a redelivery retries it). */
  async function inboxThenSignal(e: {
    id: string;
    provider: 'veriff' | 'bridge';
    eventType: string;
    userId: string | null;
    raw: Buffer;
    signal: (workflowId: string) => Promise<void>;
    /** Where the event goes once the user's onboarding has ended (Bridge: the account workflow). */
    afterOnboarding?: () => Promise<void>;
  }) {
    const workflowId = e.userId ? onboardingWorkflowId(e.userId) : null;
    let duplicate = false;
    try {
      await models.WebhookEvent.create({
        _id: e.id,
        provider: e.provider,
        eventType: e.eventType,
        workflowId,
        unroutable: !workflowId,
        payloadSealed: cipher.encrypt(e.raw.toString('utf8'), e.id),
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      duplicate = true;
      // Counted by insert (webhookDeliveries), not $inc: concurrent duplicates would lose increments.
      const repeats = await models.WebhookDelivery.countDocuments({ eventId: e.id });
      await insertNextSlot(models.WebhookDelivery, e.id, { from: repeats + 2, fields: { eventId: e.id, receivedAt: now() } });
      const prior = await models.WebhookEvent.findById(e.id, { signaledAt: 1, unroutable: 1 }).lean();
      if (prior?.signaledAt || prior?.unroutable) return { received: true as const, duplicate };
    }
    if (!workflowId) return { received: true as const, duplicate };
    try {
      await e.signal(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      if (!e.afterOnboarding) {
        // No such onboarding (or it has ended): kept for operators; the provider must stop retrying.
        await models.WebhookEvent.updateOne({ _id: e.id }, { $set: { unroutable: true } });
        return { received: true as const, duplicate };
      }
      await e.afterOnboarding();
    }
    // Off the ack path (docs/performance.md, webhook ack): the event is in the inbox and the
    // workflow has it, so the answer does not wait for this mark. If it is lost, a redelivery
    // signals again and the workflow drops the repeat by its event key.
    void models.WebhookEvent.updateOne({ _id: e.id }, { $set: { signaledAt: now() } }).catch((err: unknown) =>
      deps.logger.warn({ err, eventId: e.id }, 'webhook signalled; marking it signalled failed'),
    );
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
          provider: 'veriff',
          eventType: `${signal.kind}.${signal.status}`,
          userId: UUID.test(userId) ? userId : null,
          raw: body,
          signal: (wf) => temporal.workflow.getHandle(wf).signal(veriffEventSignal, signal),
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
          provider: 'bridge',
          eventType: String(event.event_type ?? category),
          userId: user?._id ?? null,
          raw: body,
          signal: (wf) => temporal.workflow.getHandle(wf).signal(bridgeEventSignal, signal),
          // Onboarding over: the account (an offboarding must still reach it), started if idle.
          afterOnboarding: async () => {
            const input: AccountInput = { userId: user!._id };
            await temporal.workflow.signalWithStart(ACCOUNT_WORKFLOW, {
              workflowId: accountWorkflowId(user!._id),
              taskQueue: queues.onboarding,
              args: [input],
              signal: bridgeEventSignal,
              signalArgs: [signal],
            });
          },
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
