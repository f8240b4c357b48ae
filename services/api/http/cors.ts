import type { RequestHandler } from 'express';

import type { Config } from '../../../adapters/config';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id, X-Client-Id';
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After';

/**
 * The browser origins allowed to call the API (docs/api.md): `CORS_ORIGINS` when set; otherwise
 * nothing in production, and in development/test the API's own origins, so Swagger UI's
 * "Try it out" works whether the page was opened on localhost, 127.0.0.1 or API_PUBLIC_URL.
 */
export function allowedOrigins(
  config: Pick<Config, 'CORS_ORIGINS' | 'NODE_ENV' | 'PORT' | 'API_PUBLIC_URL'>,
): Set<string> {
  if (config.CORS_ORIGINS !== undefined)
    return new Set(
      config.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    );
  if (config.NODE_ENV === 'production') return new Set();
  return new Set([
    `http://localhost:${config.PORT}`,
    `http://127.0.0.1:${config.PORT}`,
    new URL(config.API_PUBLIC_URL).origin,
  ]);
}

/**
 * CORS for an allow-list: an allowed Origin is echoed (never `*`), a preflight from it answers 204;
 * any other origin gets no CORS headers, so the browser blocks it. `skip` leaves paths with their
 * own policy (the codec server allows the Temporal UI) alone.
 */
export function cors(origins: Set<string>, skip: (path: string) => boolean = () => false): RequestHandler {
  return (req, res, next) => {
    if (skip(req.path)) return next();
    res.append('Vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin || !origins.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
