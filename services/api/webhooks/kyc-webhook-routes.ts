import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import { z } from 'zod';

import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import { BRIDGE_WEBHOOK_SIGNATURE_HEADER } from '../../../adapters/providers/bridge/wire';
import { VERIFF_WEBHOOK_HEADERS } from '../../../adapters/providers/veriff/wire';
import {
  type KycWebhookResult,
  receiveBridgeWebhook,
  receiveVeriffWebhook,
} from '../../../use-cases/webhooks/receive-kyc-webhook';
import type { ApiDeps } from '../deps';
import { AppError, badRequest, unauthorized } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { apiWebhookSignals } from './webhook-signals';

const ackSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });
const invalidSignature = () => unauthorized('The webhook signature is not valid', 'INVALID_SIGNATURE');

/** A provider home's refusal → the HTTP answer (the codes are documented in /openapi.json). */
function answer(result: KycWebhookResult) {
  if (result.ok) return { data: result.ack };
  switch (result.reason) {
    case 'INVALID_SIGNATURE':
      throw invalidSignature();
    case 'STALE_WEBHOOK':
      throw new AppError(400, 'STALE_WEBHOOK', 'The webhook timestamp is too old');
    case 'INVALID_JSON':
      throw badRequest('INVALID_JSON', 'The request body is not valid JSON');
    case 'UNSUPPORTED_EVENT':
      throw badRequest('UNSUPPORTED_EVENT', 'Not an event this service takes');
  }
}

/**
 * Provider webhooks: parse the headers, hand the raw body to the intake command
 * (use-cases/webhooks/receive-kyc-webhook.ts: signature → inbox → pending signal → dispatch), answer.
 * Mounted before the JSON parser: signatures are checked on the exact bytes received.
 */
export function kycWebhooksRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const { config, models } = deps;
  const raw = express.raw({ type: '*/*', limit: config.BODY_LIMIT });
  const intake = {
    models,
    cipher: createFieldCipher(config.PII_ENCRYPTION_KEYS),
    dispatcher: deps.webhookSignals ?? apiWebhookSignals(deps),
    now: () => (deps.now ? deps.now() : new Date()),
  };
  const rawBody = (req: express.Request) => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/webhook-kyc',
      summary: 'Veriff event and decision webhooks (X-HMAC-SIGNATURE over the raw body)',
      tags: ['Webhooks'],
      before: [raw],
      request: {
        headers: z.object({
          [VERIFF_WEBHOOK_HEADERS.signature]: z.string(),
          [VERIFF_WEBHOOK_HEADERS.client]: z.string().optional(),
        }),
        headersError: invalidSignature,
      },
      responses: {
        200: { description: 'Accepted (also for duplicates)', data: ackSchema },
        400: { description: 'INVALID_JSON or UNSUPPORTED_EVENT' },
        401: { description: 'INVALID_SIGNATURE' },
      },
      handler: async ({ req, headers }) =>
        answer(
          await receiveVeriffWebhook(
            { ...intake, veriff: { apiKey: config.VERIFF_API_KEY, sharedSecret: config.VERIFF_SHARED_SECRET } },
            {
              body: rawBody(req),
              signature: headers[VERIFF_WEBHOOK_HEADERS.signature],
              client: headers[VERIFF_WEBHOOK_HEADERS.client],
            },
          ),
        ),
    }),
    defineRoute({
      method: 'post',
      path: '/users/webhook/kyc',
      summary: 'Bridge webhooks (X-Webhook-Signature: RSA-SHA256 over "<t>.<raw body>", stale events refused)',
      tags: ['Webhooks'],
      before: [raw],
      request: { headers: z.object({ [BRIDGE_WEBHOOK_SIGNATURE_HEADER]: z.string() }), headersError: invalidSignature },
      responses: {
        200: { description: 'Accepted (also for duplicates)', data: ackSchema },
        400: { description: 'STALE_WEBHOOK or an unreadable event (INVALID_JSON, UNSUPPORTED_EVENT)' },
        401: { description: 'INVALID_SIGNATURE' },
      },
      handler: async ({ req, headers }) =>
        answer(
          await receiveBridgeWebhook(
            {
              ...intake,
              bridge: {
                publicKeyPem: config.BRIDGE_WEBHOOK_PUBLIC_KEY,
                maxAgeMs: config.BRIDGE_WEBHOOK_MAX_AGE_SECONDS * 1000,
              },
            },
            { body: rawBody(req), signature: headers[BRIDGE_WEBHOOK_SIGNATURE_HEADER] },
          ),
        ),
    }),
  ];
  return routesRouter(registry, '', routes);
}
