import SwaggerParser from '@apidevtools/swagger-parser';

import { createLogger } from '../../adapters/logger';
import { createTemporalClient } from '../../adapters/temporal-client';
import { createApp } from '../../services/api/app';
import { TEST_OPS_TOKEN, testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { listen, request, type RunningServer } from '../helpers/http';

describe('API skeleton', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let temporal: ReturnType<typeof createTemporalClient>;

  beforeAll(async () => {
    const config = testConfig({ BODY_LIMIT: '1kb' });
    db = await createTestDatabase();
    temporal = createTemporalClient(config);
    server = await listen(
      createApp({
        config,
        logger: createLogger({ level: 'silent', name: 't' }),
        db: db.conn,
        models: db.models,
        temporal,
      }),
    );
  });
  afterAll(async () => {
    await server.close();
    await temporal.connection.close();
    await db.close();
  });

  it('answers liveness', async () => {
    const res = await request(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, data: { status: 'ok' } });
  });

  it('is ready when Temporal and the database answer', async () => {
    const res = await request(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    expect(res.json.data.checks.database.status).toBe('ok');
    expect(res.json.data.checks.temporal.status).toBe('ok');
  });

  it('gives an unknown route a 404 envelope', async () => {
    const res = await request(`${server.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ success: false, error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) } });
  });

  it('gives malformed JSON a 400 envelope, not a 500', async () => {
    const res = await request(`${server.url}/ops/probes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_OPS_TOKEN}` },
      body: '{"unterminated',
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('INVALID_JSON');
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('gives an oversized body a 413 envelope', async () => {
    const res = await request(`${server.url}/ops/probes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` },
      json: { filler: 'x'.repeat(5_000) },
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps a well-formed request id and mints one otherwise', async () => {
    const kept = await request(`${server.url}/healthz`, { headers: { 'x-request-id': 'req-abcdef123456' } });
    expect(kept.headers.get('x-request-id')).toBe('req-abcdef123456');
    const minted = await request(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics labelled by route pattern', async () => {
    await request(`${server.url}/healthz`);
    const res = await request(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.text).toMatch(/process_cpu_seconds_total/);
  });

  it('guards /metrics: open outside production, a bearer token in production (METRICS_TOKEN or OPS_TOKEN), as configured', async () => {
    const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
    const scrape = async (overrides: Record<string, string>, tokens: (string | null)[]) => {
      const config = testConfig({ BODY_LIMIT: '1kb', ...overrides });
      const app = await listen(
        createApp({
          config,
          logger: createLogger({ level: 'silent', name: 't' }),
          db: db.conn,
          models: db.models,
          temporal,
        }),
      );
      try {
        const out = [];
        for (const token of tokens) {
          const res = await request(`${app.url}/metrics`, {
            headers: token ? { authorization: `Bearer ${token}` } : {},
          });
          out.push(
            res.status === 200
              ? /http_requests_total/.test(res.text)
                ? 200
                : 'no metrics'
              : `${res.status} ${res.json.error.code}${res.headers.get('www-authenticate') ? ' +WWW-Authenticate' : ''}`,
          );
        }
        return out;
      } finally {
        await app.close();
      }
    };
    const who = [null, 'wrong-token-0123456789abcdef', TEST_OPS_TOKEN, METRICS_TOKEN];
    const denied = '401 UNAUTHORIZED +WWW-Authenticate';
    // Development/test: open, unless a METRICS_TOKEN is set.
    expect(await scrape({}, who)).toEqual([200, 200, 200, 200]);
    expect(await scrape({ METRICS_TOKEN }, who)).toEqual([denied, denied, 200, 200]);
    // Production: the operator token, or METRICS_TOKEN when set; METRICS_PUBLIC=true opens it; no token at all → 403.
    expect(await scrape({ NODE_ENV: 'production' }, who)).toEqual([denied, denied, 200, denied]);
    expect(await scrape({ NODE_ENV: 'production', METRICS_TOKEN }, who)).toEqual([denied, denied, 200, 200]);
    expect(await scrape({ NODE_ENV: 'production', METRICS_PUBLIC: 'true' }, who)).toEqual([200, 200, 200, 200]);
    expect(await scrape({ NODE_ENV: 'production', OPS_TOKEN: '' }, [null, TEST_OPS_TOKEN])).toEqual([
      '403 METRICS_DISABLED',
      '403 METRICS_DISABLED',
    ]);
    expect(await scrape({ NODE_ENV: 'production', OPS_TOKEN: '', METRICS_TOKEN }, [null, METRICS_TOKEN])).toEqual([
      denied,
      200,
    ]);
    // A contradiction is a configuration error, and a short token is refused.
    expect(() => testConfig({ METRICS_TOKEN, METRICS_PUBLIC: 'true' })).toThrow(
      /METRICS_PUBLIC: cannot be true with METRICS_TOKEN set/,
    );
    expect(() => testConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 24 characters/);
  });

  it('serves a valid OpenAPI 3 document and an offline docs page', async () => {
    const spec = await request(`${server.url}/openapi.json`);
    expect(spec.status).toBe(200);
    expect(spec.json.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(spec.json))).resolves.toBeDefined();
    expect(Object.keys(spec.json.paths)).toEqual(
      expect.arrayContaining(['/healthz', '/readyz', '/ops/probes', '/ops/probes/{probeId}']),
    );
    const docs = await request(`${server.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect((await request(`${server.url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('rejects operator endpoints without the operator token', async () => {
    const none = await request(`${server.url}/ops/probes`, { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('UNAUTHORIZED');
    const wrong = await request(`${server.url}/ops/probes`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('validates path parameters with a 400 envelope naming the field', async () => {
    const res = await request(`${server.url}/ops/probes/not-a-uuid`, {
      headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_ERROR');
    expect(res.json.error.details[0].path).toBe('probeId');
  });
});

describe('API readiness without its dependencies', () => {
  it('answers 503 NOT_READY when Temporal is unreachable', async () => {
    const config = testConfig({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    const db = await createTestDatabase();
    const temporal = createTemporalClient(config);
    const server = await listen(
      createApp({
        config,
        logger: createLogger({ level: 'silent', name: 't' }),
        db: db.conn,
        models: db.models,
        temporal,
      }),
    );
    try {
      const res = await request(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(res.json.error.code).toBe('NOT_READY');
      expect(res.json.error.details.checks).toMatchObject({
        database: { status: 'ok' },
        temporal: { status: 'unavailable' },
      });
    } finally {
      await server.close();
      await db.close();
    }
  });
});
