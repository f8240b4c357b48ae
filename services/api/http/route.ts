import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';

import type { AppError } from './app-error';
import { dataEnvelope, errorEnvelopeSchema } from './envelope';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodType<Record<string, unknown>>;

export interface ResponseSpec {
  description: string;
  data?: z.ZodType;
  raw?: { contentType: string; schema: z.ZodType };
}
type Responses = Record<number, ResponseSpec>;

/** The `data` a handler may reply with: what one of the route's documented `data` schemas accepts. */
// `data` schemas type enveloped replies; `raw` JSON schemas type the `bare` ones (seed 003's shapes).
type ReplyData<R extends Responses> = {
  [S in keyof R]: R[S] extends { data: infer D extends z.ZodType }
    ? z.input<D>
    : R[S] extends { raw: { schema: infer D extends z.ZodType } }
      ? z.input<D>
      : never;
}[keyof R];

export interface Reply<D = unknown> {
  status?: number;
  data: D;
  headers?: Record<string, string>;
  /** Send `data` as the whole body, without the envelope (seed 003 partner routes; document with `raw`). */
  bare?: boolean;
}

export interface RouteContext<B, Q, P, H> {
  body: B;
  query: Q;
  params: P;
  /** The declared headers, validated (names lower-case). */
  headers: H;
  req: Request;
  res: Response;
}

export interface RouteSpec<
  B extends z.ZodType = z.ZodType,
  Q extends AnyObject = AnyObject,
  P extends AnyObject = AnyObject,
  H extends AnyObject = AnyObject,
  R extends Responses = Responses,
> {
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
  request?: {
    body?: B;
    query?: Q;
    params?: P;
    /** Validated like the rest (and documented from the same schema). */
    headers?: H;
    /** The error for headers that do not match (default 400 VALIDATION_ERROR), e.g. 401 for a missing signature. */
    headersError?: () => AppError;
  };
  /** `data` schemas are wrapped in the success envelope; `raw` ones are documented as-is. */
  responses: R;
  /**
   * Return a Reply to send the envelope (its `data` is typed by the `data` schemas of `responses`);
   * return nothing if you wrote the response yourself.
   */
  handler: (
    ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>, z.infer<H>>,
  ) => Promise<Reply<NoInfer<ReplyData<R>>> | void> | Reply<NoInfer<ReplyData<R>>> | void;
}

/** Identity helper that keeps the schema types flowing into the handler and its reply. */
export function defineRoute<
  B extends z.ZodType = z.ZodUndefined,
  Q extends AnyObject = AnyObject,
  P extends AnyObject = AnyObject,
  H extends AnyObject = AnyObject,
  R extends Responses = Responses,
>(spec: RouteSpec<B, Q, P, H, R>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/**
 * A guard that can refuse (a role check, say) carries the responses it gives, so every route
 * that puts it in `before` documents them without repeating it (issue 16: the spec must list
 * every status a route can return).
 */
export function guardDocumenting<H extends RequestHandler>(
  handler: H,
  responses: Record<number, string>,
): H & { documents: Record<number, string> } {
  return Object.assign(handler, { documents: responses });
}

const ERROR_RESPONSES: Record<number, string> = {
  400: 'Invalid request (code VALIDATION_ERROR, INVALID_JSON or a domain code)',
  429: 'Rate limited (see Retry-After)',
  500: 'Unexpected error (details are never returned)',
  503: 'A dependency (Temporal or the database) is unavailable or overloaded (SERVICE_UNAVAILABLE), or the record stayed locked by concurrent writers (RECORD_BUSY): retry after Retry-After seconds',
};

/** What the body parser answers before a route with a body runs. */
const BODY_ERROR_RESPONSES: Record<number, string> = {
  413: 'PAYLOAD_TOO_LARGE: the body is over the limit',
  415: 'UNSUPPORTED_ENCODING or UNSUPPORTED_CHARSET',
};

function toOpenApiPath(path: string) {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function document(registry: OpenAPIRegistry, prefix: string, spec: RouteSpec) {
  const responses: RouteConfig['responses'] = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    if (r.raw)
      responses[status] = { description: r.description, content: { [r.raw.contentType]: { schema: r.raw.schema } } };
    else if (r.data)
      responses[status] = {
        description: r.description,
        content: { 'application/json': { schema: dataEnvelope(r.data) } },
      };
    else responses[status] = { description: r.description };
  }
  const guarded: Record<number, string> = Object.assign(
    {},
    ...(spec.before ?? []).map((h) => (h as { documents?: Record<number, string> }).documents ?? {}),
  );
  const errorStatuses = {
    ...ERROR_RESPONSES,
    ...(spec.request?.body ? BODY_ERROR_RESPONSES : {}),
    ...(spec.security?.length
      ? {
          401: 'Missing or invalid credentials',
          403: 'Not allowed for your role or tenant (INSUFFICIENT_ROLE, FORBIDDEN)',
        }
      : {}),
    ...guarded,
  };
  for (const [status, description] of Object.entries(errorStatuses)) {
    if (!responses[status])
      responses[status] = { description, content: { 'application/json': { schema: errorEnvelopeSchema } } };
  }
  for (const [status, r] of Object.entries(spec.responses)) {
    if (Number(status) >= 400 && !r.data && !r.raw) {
      responses[status] = {
        description: r.description,
        content: { 'application/json': { schema: errorEnvelopeSchema } },
      };
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
      body: spec.request?.body
        ? { content: { 'application/json': { schema: spec.request.body } }, required: true }
        : undefined,
      query: spec.request?.query as never,
      params: spec.request?.params as never,
      headers: spec.request?.headers as never,
    },
    responses,
  });
}

function parseHeaders(spec: RouteSpec, req: Request) {
  const parsed = spec.request!.headers!.safeParse(req.headers);
  if (parsed.success) return parsed.data;
  throw spec.request!.headersError?.() ?? parsed.error;
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
      const headers = spec.request?.headers ? parseHeaders(spec, req) : {};
      const reply = await spec.handler({ body, query, params, headers, req, res });
      if (!reply) return;
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      res.status(reply.status ?? 200).json(reply.bare ? reply.data : { success: true, data: reply.data });
    };
    router[spec.method](spec.path, ...(spec.before ?? []), handler);
  }
  return router;
}
