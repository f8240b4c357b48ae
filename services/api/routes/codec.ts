import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Payload } from '@temporalio/common';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { payloadCodecFor } from '../../../adapters/data-converter';
import { requireRoles } from '../auth/auth-context';
import type { ApiDeps } from '../deps';
import { requireOpsToken } from '../http/ops-auth';
import { defineRoute, routesRouter } from '../http/route';

// Temporal codec server JSON: payloads with base64 metadata values and data.
const jsonPayload = z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() });
const payloadsBody = z.object({ payloads: z.array(jsonPayload).max(1000) }).meta({ id: 'CodecPayloads' });
type JsonPayload = z.infer<typeof jsonPayload>;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** OPS_TOKEN, or else a signed-in internal admin (the Temporal UI can forward the user's token). */
function requireOpsOrInternalAdmin(deps: ApiDeps, requireUser: RequestHandler): RequestHandler {
  const ops = requireOpsToken(deps.config);
  const admin = requireRoles({ userTypes: ['internal-admin'] });
  return (req, res, next) => {
    if (deps.config.CODEC_ALLOW_ANONYMOUS) return next();
    ops(req, res, (opsErr?: unknown) => {
      if (!opsErr) return next();
      requireUser(req, res, (userErr?: unknown) => (userErr ? next(userErr) : admin(req, res, next)));
    });
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
      res.setHeader('Access-Control-Allow-Headers', 'content-type, authorization, x-namespace');
      res.setHeader('Access-Control-Max-Age', '600');
      res.setHeader('Vary', 'Origin');
    }
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
  const guard = requireOpsOrInternalAdmin(deps, requireUser);
  const route = (action: 'encode' | 'decode') =>
    defineRoute({
      method: 'post',
      path: `/codec/${action}`,
      summary: `${action === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (codec server)`,
      tags: ['Operations'],
      security: ['opsToken', 'bearer'],
      before: [guard],
      request: { body: payloadsBody },
      responses: { 200: { description: 'The payloads, same order', raw: { contentType: 'application/json', schema: payloadsBody } } },
      handler: async ({ body, res }) => {
        const out = await codec[action](body.payloads.map(fromJson));
        res.json({ payloads: out.map(toJson) });
      },
    });
  const router = Router();
  router.use('/codec', codecCors(deps.config.CODEC_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)));
  router.use(routesRouter(registry, '', [route('encode'), route('decode')]));
  return router;
}
