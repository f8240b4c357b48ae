import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { recordProviderStatus } from '../../../adapters/notifications/delivery-ledger';
import { forEachBounded } from '../../../adapters/bounded-parallel';
import type { ApiDeps } from '../deps';
import { AppError, badRequest } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';

const invalidSignature = () => new AppError(401, 'INVALID_SIGNATURE', 'The webhook signature is missing or invalid');
const MAX_EVENT_AGE_SECONDS = 15 * 60;

// Twilio MessageStatus → our delivery status; anything not listed only confirms acceptance.
const TWILIO_STATUS: Record<string, 'sent' | 'delivered' | 'failed'> = { delivered: 'delivered', undelivered: 'failed', failed: 'failed' };
// SendGrid event types that change a delivery; opens, clicks and deferrals do not.
const SENDGRID_EVENT: Record<string, 'sent' | 'delivered' | 'failed'> = { processed: 'sent', delivered: 'delivered', bounce: 'failed', dropped: 'failed' };

export function verifySendGridSignature(publicKey: KeyObject, signature: string, timestamp: string, rawBody: Buffer): boolean {
  try {
    return createVerify('sha256').update(timestamp).update(rawBody).verify(publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Provider status callbacks. Mounted before the JSON parser: signatures cover the raw bytes.
 * Each callback carries our delivery key (Twilio: in the StatusCallback URL we gave it;
 * SendGrid: the `deliveryKey` custom arg), so the delivery is found without a lookup.
 */
export function notificationWebhooksRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const raw = express.raw({ type: '*/*', limit: deps.config.BODY_LIMIT });
  const sendgridKey = createPublicKey({ key: Buffer.from(deps.config.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY, 'base64'), format: 'der', type: 'spki' });
  const now = () => (deps.now?.() ?? new Date()).getTime();
  const received = z.object({ received: z.number().int() });

  const routes = [
    defineRoute({
      method: 'post',
      path: '/webhooks/twilio/status/:deliveryKey',
      summary: 'Twilio SMS status callback (X-Twilio-Signature)',
      tags: ['Webhooks'],
      before: [raw],
      request: { params: z.object({ deliveryKey: z.string().min(1).max(200) }) },
      responses: { 200: { description: 'Recorded', data: received }, 401: { description: 'Bad signature (INVALID_SIGNATURE)' } },
      handler: async ({ req, params }) => {
        const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
        const form = Object.fromEntries(new URLSearchParams(body));
        // Twilio signs the exact URL it was given: ours, as configured for the public.
        const url = `${deps.config.API_PUBLIC_URL}${req.originalUrl}`;
        const signature = req.header('x-twilio-signature') ?? '';
        if (!signature || !twilio.validateRequest(deps.config.TWILIO_AUTH_TOKEN, signature, url, form)) throw invalidSignature();
        const providerStatus = form.MessageStatus ?? form.SmsStatus;
        if (!providerStatus) throw badRequest('MISSING_STATUS', 'MessageStatus is required');
        const status = Object.hasOwn(TWILIO_STATUS, providerStatus) ? TWILIO_STATUS[providerStatus] : 'sent';
        await recordProviderStatus(deps.models, params.deliveryKey, {
          status,
          providerStatus,
          providerMessageId: form.MessageSid,
          error: status === 'failed' ? { code: `TWILIO_${form.ErrorCode ?? 'UNDELIVERED'}`, message: `Twilio reported ${providerStatus}` } : undefined,
        });
        return { data: { received: 1 } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/sendgrid/events',
      summary: 'SendGrid signed event webhook (ECDSA)',
      tags: ['Webhooks'],
      before: [raw],
      responses: { 200: { description: 'Recorded', data: received }, 401: { description: 'Bad or stale signature (INVALID_SIGNATURE)' } },
      handler: async ({ req }) => {
        const signature = req.header('x-twilio-email-event-webhook-signature') ?? '';
        const timestamp = req.header('x-twilio-email-event-webhook-timestamp') ?? '';
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (!signature || !/^\d+$/.test(timestamp) || !verifySendGridSignature(sendgridKey, signature, timestamp, rawBody)) throw invalidSignature();
        if (Math.abs(now() / 1000 - Number(timestamp)) > MAX_EVENT_AGE_SECONDS) throw invalidSignature();
        let events: unknown;
        try {
          events = JSON.parse(rawBody.toString('utf8'));
        } catch {
          throw badRequest('INVALID_JSON', 'The request body is not valid JSON');
        }
        if (!Array.isArray(events)) throw badRequest('VALIDATION_ERROR', 'Expected an array of events');
        const changes = events.flatMap((raw: unknown) => {
          const e = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
          const event = typeof e.event === 'string' && Object.hasOwn(SENDGRID_EVENT, e.event) ? e.event : undefined;
          const key = typeof e.deliveryKey === 'string' && e.deliveryKey.length <= 200 ? e.deliveryKey : undefined;
          // Opens, clicks, deferrals and events for mail we did not send change no delivery.
          if (!event || !key) return [];
          return [{ status: SENDGRID_EVENT[event], event, deliveryKey: key, messageId: typeof e.sg_message_id === 'string' ? e.sg_message_id : undefined }];
        });
        // SendGrid posts up to thousands of events per batch and retries the whole batch when the
        // answer is slow, so events are recorded side by side (each is idempotent, order-free).
        await forEachBounded(changes, 16, (e) =>
          recordProviderStatus(deps.models, e.deliveryKey, {
            status: e.status,
            providerStatus: e.event,
            providerMessageId: e.messageId?.split('.')[0],
            error: e.status === 'failed' ? { code: `SENDGRID_${e.event.toUpperCase()}`, message: 'SendGrid could not deliver the email' } : undefined,
          }),
        );
        return { data: { received: changes.length } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
