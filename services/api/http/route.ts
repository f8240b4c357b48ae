import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { dataEnvelope, errorEnvelopeSchema } from './envelope';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodType<Record<string, unknown>>;

export interface Reply {
  status?: number;
  data: unknown;
  headers?: Record<string, string>;
  /** Send `data` as the whole body, without the envelope (seed 003 partner routes; document with `raw`). */
  bare?: boolean;
}

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}

export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends AnyObject = AnyObject, P extends AnyObject = AnyObject> {
  method: Method;
  /** Express-style path (`/users/:userId`); documented as `/users/{userId}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  /** OpenAPI security requirement names (see openapi/document.ts); empty means public. */
  security?: string[];
  /** Guards that run before validation, so an anonymous caller gets 401, not a 400 about the body. */
  before?: RequestHandler[];
  request?: { body?: B; query?: Q; params?: P; headers?: AnyObject };
  /** `data` schemas are wrapped in the success envelope; `raw` ones are documented as-is. */
  responses: Record<number, { description: string; data?: z.ZodType; raw?: { contentType: string; schema: z.ZodType } }>;
  /** Return a Reply to send the envelope; return nothing if you wrote the response yourself. */
  handler: (ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<Reply | void> | Reply | void;
}

/** Identity helper that keeps the schema types flowing into the handler. */
export function defineRoute<B extends z.ZodType = z.ZodUndefined, Q extends AnyObject = AnyObject, P extends AnyObject = AnyObject>(
  spec: RouteSpec<B, Q, P>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

/**
 * A guard that can refuse (a role check, say) carries the responses it gives, so every route
 * that puts it in `before` documents them without repeating it (issue 16: the spec must list
 * every status a route can return).
 */
export function guardDocumenting<H extends RequestHandler>(handler: H, responses: Record<number, string>): H & { documents: Record<number, string> } {
  return Object.assign(handler, { documents: responses });
}

const ERROR_RESPONSES: Record<number, string> = {
  400: 'Invalid request (code VALIDATION_ERROR, INVALID_JSON or a domain code)',
  429: 'Rate limited (see Retry-After)',
  500: 'Unexpected error (details are never returned)',
};

function toOpenApiPath(path: string) {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function document(registry: OpenAPIRegistry, prefix: string, spec: RouteSpec) {
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    if (r.raw) responses[status] = { description: r.description, content: { [r.raw.contentType]: { schema: r.raw.schema } } };
    else if (r.data) responses[status] = { description: r.description, content: { 'application/json': { schema: dataEnvelope(r.data) } } };
    else responses[status] = { description: r.description };
  }
  const guarded: Record<number, string> = Object.assign({}, ...(spec.before ?? []).map((h) => (h as { documents?: Record<number, string> }).documents ?? {}));
  const errorStatuses = { ...ERROR_RESPONSES, ...guarded, ...(spec.security?.length ? { 401: 'Missing or invalid credentials' } : {}) };
  for (const [status, description] of Object.entries(errorStatuses)) {
    if (!responses[status]) responses[status] = { description, content: { 'application/json': { schema: errorEnvelopeSchema } } };
  }
  for (const [status, r] of Object.entries(spec.responses)) {
    if (Number(status) >= 400 && !r.data && !r.raw) {
      responses[status] = { description: r.description, content: { 'application/json': { schema: errorEnvelopeSchema } } };
    }
  }
  registry.registerPath({
    method: spec.method,
    path: toOpenApiPath(prefix + spec.path),
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    security: spec.security?.map((name) => ({ [name]: [] })),
    request: {
      body: spec.request?.body ? { content: { 'application/json': { schema: spec.request.body } }, required: true } : undefined,
      query: spec.request?.query as never,
      params: spec.request?.params as never,
      headers: spec.request?.headers as never,
    },
    responses,
  });
}

/**
 * Mounts route specs on a router and documents them: the zod schemas that validate a request
 * are the ones that appear in /openapi.json, so the two cannot drift apart.
 */
export function routesRouter(registry: OpenAPIRegistry, prefix: string, specs: RouteSpec[]): Router {
  const router = Router();
  for (const spec of specs) {
    document(registry, prefix, spec);
    const handler: RequestHandler = async (req, res) => {
      const body = spec.request?.body ? spec.request.body.parse(req.body ?? undefined) : undefined;
      const query = spec.request?.query ? spec.request.query.parse(req.query) : {};
      const params = spec.request?.params ? spec.request.params.parse(req.params) : {};
      const reply = await spec.handler({ body, query, params, req, res });
      if (!reply) return;
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      res.status(reply.status ?? 200).json(reply.bare ? reply.data : { success: true, data: reply.data });
    };
    router[spec.method](spec.path, ...(spec.before ?? []), handler);
  }
  return router;
}
