import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import pinoHttp from 'pino-http';

import type { Logger } from '../../../adapters/logger';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Request ids: a well-formed incoming X-Request-Id is kept so traces join across services,
 * otherwise we mint one; it is echoed in the response and on every log line of the request.
 */
export function requestContext(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Log the route shape, not query strings (they can carry emails or tokens).
    serializers: {
      // The codec's UI key is a secret in the path: never logged.
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0].replace(/^\/codec\/ui\/[^/]+/, '/codec/ui/<key>'),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
  });
}
