import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import { z } from 'zod';

import { sendGridPublicKey } from '../../../adapters/providers/sendgrid/signature';
import { SENDGRID_HEADERS } from '../../../adapters/providers/sendgrid/wire';
import { TWILIO_HEADERS } from '../../../adapters/providers/twilio/wire';
import {
  type DeliveryCallbackResult,
  receiveSendGridEvents,
  receiveTwilioStatus,
} from '../../../use-cases/webhooks/receive-delivery-callback';
import type { ApiDeps } from '../deps';
import { AppError, badRequest } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';

const invalidSignature = () => new AppError(401, 'INVALID_SIGNATURE', 'The webhook signature is missing or invalid');

function answer(result: DeliveryCallbackResult) {
  if (result.ok) return { data: { received: result.received } };
  switch (result.reason) {
    case 'INVALID_SIGNATURE':
      throw invalidSignature();
    case 'MISSING_STATUS':
      throw badRequest('MISSING_STATUS', 'MessageStatus is required');
    case 'INVALID_JSON':
      throw badRequest('INVALID_JSON', 'The request body is not valid JSON');
    case 'NOT_AN_ARRAY':
      throw badRequest('VALIDATION_ERROR', 'Expected an array of events');
  }
}

/**
 * Provider status callbacks, answered by the intake commands (use-cases/webhooks/receive-delivery-callback.ts).
 * Mounted before the JSON parser: signatures cover the raw bytes. Each callback carries our
 * delivery key (Twilio: in the StatusCallback URL we gave it; SendGrid: the `deliveryKey` custom
 * arg), so the delivery is found without a lookup.
 */
export function notificationWebhooksRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const raw = express.raw({ type: '*/*', limit: deps.config.BODY_LIMIT });
  const publicKey = sendGridPublicKey(deps.config.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY);
  const now = () => deps.now?.() ?? new Date();
  const received = z.object({ received: z.number().int() });
  const rawBody = (req: express.Request) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  const routes = [
    defineRoute({
      method: 'post',
      path: '/webhooks/twilio/status/:deliveryKey',
      summary: 'Twilio SMS status callback (X-Twilio-Signature)',
      tags: ['Webhooks'],
      before: [raw],
      request: { params: z.object({ deliveryKey: z.string().min(1).max(200) }) },
      responses: {
        200: { description: 'Recorded', data: received },
        401: { description: 'Bad signature (INVALID_SIGNATURE)' },
      },
      handler: async ({ req, params }) =>
        answer(
          await receiveTwilioStatus(
            { models: deps.models, authToken: deps.config.TWILIO_AUTH_TOKEN },
            // Twilio signs the exact URL it was given: ours, as configured for the public.
            {
              deliveryKey: params.deliveryKey,
              url: `${deps.config.API_PUBLIC_URL}${req.originalUrl}`,
              rawBody: rawBody(req),
              signature: req.header(TWILIO_HEADERS.signature),
            },
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/sendgrid/events',
      summary: 'SendGrid signed event webhook (ECDSA)',
      tags: ['Webhooks'],
      before: [raw],
      responses: {
        200: { description: 'Recorded', data: received },
        401: { description: 'Bad or stale signature (INVALID_SIGNATURE)' },
      },
      handler: async ({ req }) =>
        answer(
          await receiveSendGridEvents(
            { models: deps.models, publicKey, now },
            {
              rawBody: rawBody(req),
              signature: req.header(SENDGRID_HEADERS.eventSignature),
              timestamp: req.header(SENDGRID_HEADERS.eventTimestamp),
            },
          ),
        ),
    }),
  ];
  return routesRouter(registry, '', routes);
}
