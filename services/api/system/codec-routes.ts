import { createHash, timingSafeEqual } from 'node:crypto';

import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Payload } from '@temporalio/common';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';

import { payloadCodecFor } from '../../../adapters/data-converter';
import { requireRoles } from '../auth/auth-context';
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../http/app-error';
import { requireOpsToken } from '../http/ops-auth';
import { defineRoute, routesRouter } from '../http/route';

// Temporal codec server JSON (protojson of temporal.api.common.v1.Payloads): base64 metadata
// values and data. protojson leaves out empty fields, so the CLI sends `{}` for no payloads and a
// payload may come without `metadata` or `data`.
const jsonPayload = z.object({
  metadata: z.record(z.string(), z.string().max(1_000_000)).optional(),
  data: z.string().optional(),
});
const payloadsBody = z.object({ payloads: z.array(jsonPayload).max(1000).optional() }).meta({ id: 'CodecPayloads' });
const payloadsReply = z.object({ payloads: z.array(jsonPayload) }).meta({ id: 'CodecPayloadsReply' });
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** OPS_TOKEN, or else a signed-in internal admin (a Temporal UI with auth can forward the user's token). */
function requireOpsOrInternalAdmin(deps: ApiDeps, requireUser: RequestHandler): RequestHandler {
  const ops = requireOpsToken(deps.config);
  const admin = requireRoles({ userTypes: ['internal-admin'] });
  return (req, res, next) => {
    ops(req, res, (opsErr?: unknown) => {
      if (!opsErr) return next();
      requireUser(req, res, (userErr?: unknown) => (userErr ? next(userErr) : admin(req, res, next)));
    });
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `/codec/ui/<CODEC_UI_KEY>/…`: for a Temporal UI that cannot send credentials (the dev server's
 * UI only takes an endpoint URL). The key is a per-stack secret in the URL the dev runner gives
 * the UI, compared in constant time; without it (or with CODEC_UI_KEY unset) the path is a 404,
 * so a local process that does not hold the stack's secrets decodes nothing.
 */
function requireUiKey(key: string | undefined): RequestHandler {
  const expected = key ? digest(key) : undefined;
  return (req, _res, next) => {
    const given = String(req.params.uiKey ?? '');
    next(expected && timingSafeEqual(digest(given), expected) ? undefined : notFound('Codec endpoint'));
  };
}

/** Browsers (the Temporal Web UI) call the codec cross-origin: allow only the configured origins. */
function codecCors(origins: string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      // What the UI sends: JSON, the namespace, and (with auth) the user's token.
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, x-namespace');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

/**
 * Codec server for the Temporal Web UI and CLI (`--codec-endpoint <api>/codec`): decrypts
 * payloads for authorised operators only. Answers in Temporal's shape, not our envelope.
 */
export function codecRouter(deps: ApiDeps, registry: OpenAPIRegistry, requireUser: RequestHandler): Router {
  const codec = payloadCodecFor(deps.config);
  const run = async (action: 'encode' | 'decode', payloads: JsonPayload[]) => {
    try {
      return (await codec[action](payloads.map(fromJson))).map(toJson);
    } catch {
      // A payload this codec cannot open (another key, tampered bytes) is the caller's input.
      throw badRequest('UNDECODABLE_PAYLOAD', `A payload could not be ${action}d with this server's keys`);
    }
  };
  const route = (action: 'encode' | 'decode', via: 'token' | 'uiKey') =>
    defineRoute({
      method: 'post',
      path: via === 'token' ? `/codec/${action}` : `/codec/ui/:uiKey/${action}`,
      summary:
        `${action === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (codec server)` +
        (via === 'uiKey' ? ' for a Temporal UI that cannot send a token (path key CODEC_UI_KEY)' : ''),
      tags: ['Operations'],
      security: via === 'token' ? ['opsToken', 'bearer'] : undefined,
      before: [via === 'token' ? requireOpsOrInternalAdmin(deps, requireUser) : requireUiKey(deps.config.CODEC_UI_KEY)],
      request: {
        body: payloadsBody,
        headers: z.object({ 'x-namespace': z.string().optional() }),
        ...(via === 'uiKey' ? { params: z.object({ uiKey: z.string() }) } : {}),
      },
      responses: {
        200: {
          description: 'The payloads, same order (`{}` in = `{"payloads": []}` out)',
          raw: { contentType: 'application/json', schema: payloadsReply },
        },
        400: { description: 'VALIDATION_ERROR, or UNDECODABLE_PAYLOAD: a payload this server cannot open' },
        ...(via === 'token'
          ? {
              403: {
                description:
                  'OPS_DISABLED (no OPS_TOKEN configured) or INSUFFICIENT_ROLE (signed in, not an internal admin)',
              },
            }
          : { 404: { description: 'Unknown or missing UI key' } }),
      },
      handler: async ({ body, res }) => {
        res.json({ payloads: await run(action, body.payloads ?? []) });
      },
    });
  const router = Router();
  router.use(
    '/codec',
    codecCors(
      deps.config.CODEC_CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  );
  router.use(
    routesRouter(registry, '', [
      route('encode', 'token'),
      route('decode', 'token'),
      route('encode', 'uiKey'),
      route('decode', 'uiKey'),
    ]),
  );
  return router;
}
