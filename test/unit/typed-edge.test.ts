import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import { z } from 'zod';

import { createLogger } from '../../adapters/logger';
import { badRequest } from '../../services/api/http/app-error';
import { errorHandler } from '../../services/api/http/error-handler';
import { defineRoute, routesRouter } from '../../services/api/http/route';
import { listen, request, type RunningServer } from '../helpers/http';
import { checkResponsesOf } from '../helpers/response-conformance';

// The edge's mechanics on a throwaway app: headers validated by the schema they are documented
// with, and the response check that every API test runs failing on a reply that breaks the spec.
describe('defineRoute edge', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const registry = new OpenAPIRegistry();
    const app = express();
    app.use(
      routesRouter(registry, '', [
        defineRoute({
          method: 'post',
          path: '/keyed',
          summary: 'needs a key',
          tags: ['t'],
          request: {
            headers: z.object({ 'idempotency-key': z.string().min(8) }),
            headersError: () => badRequest('IDEMPOTENCY_KEY_REQUIRED', 'key'),
          },
          responses: { 200: { description: 'ok', data: z.object({ key: z.string() }) } },
          handler: ({ headers }) => ({ data: { key: headers['idempotency-key'] } }),
        }),
        defineRoute({
          method: 'get',
          path: '/liar/:kind',
          summary: 'answers off-spec',
          tags: ['t'],
          request: { params: z.object({ kind: z.enum(['body', 'status']) }) },
          responses: { 200: { description: 'ok', data: z.object({ n: z.number() }) } },
          // The cast is the bug under test: typed replies make it impossible without one.
          handler: ({ params }) =>
            params.kind === 'body'
              ? { data: { n: 'one' } as unknown as { n: number } }
              : { status: 418, data: { n: 1 } },
        }),
      ]),
    );
    app.use(errorHandler(createLogger({ level: 'silent', name: 't' })));
    server = await listen(app);
    checkResponsesOf(server.url, registry);
  });
  afterAll(() => server?.close());

  it('validates headers with the documented schema and its error', async () => {
    const missing = await request(`${server.url}/keyed`, { method: 'POST' });
    expect([missing.status, missing.json.error.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    const ok = await request(`${server.url}/keyed`, { method: 'POST', headers: { 'Idempotency-Key': 'abcdefgh' } });
    expect(ok.json.data).toEqual({ key: 'abcdefgh' });
  });

  it('fails the request helper on a body or a status the route does not document', async () => {
    await expect(request(`${server.url}/liar/body`)).rejects.toThrow(/does not match the documented schema \(data\.n/);
    await expect(request(`${server.url}/liar/status`)).rejects.toThrow(
      /418: this status is not in the route's documented responses/,
    );
  });
});
