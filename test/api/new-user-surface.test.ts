import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { ConfigError, loadConfig } from '../../adapters/config';
import { createServiceToken } from '../../adapters/identity/service-tokens';
import { createLogger } from '../../adapters/logger';
import { veriffSignature } from '../../adapters/providers/veriff/signature';
import { allowedOrigins } from '../../services/api/http/cors';
import { createSandboxApp } from '../../services/sandbox/app';
import { userWithToken } from '../helpers/auth';
import { TEST_SECRETS, testConfig } from '../helpers/config';
import { listen, request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';

// Issue 11 items 7 and 9, on an API with no workers: what it acknowledges is readable at once, the
// docs page's "Try it out" targets the API that served it, and CORS is an allow-list.
describe('what a new user runs into: notifications read-after-202, docs server, CORS', () => {
  let stack: TestStack;
  const APP = 'https://app.example.test';
  beforeAll(async () => {
    stack = await startTestStack({ config: { CORS_ORIGINS: `${APP}, http://localhost:8080` } });
  });
  afterAll(() => stack?.close());
  const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${stack.url}${path}`, init);

  it('answers GET for every notification it just acknowledged, before any worker ran (50 at once)', async () => {
    const users = await Promise.all(
      Array.from({ length: 50 }, () => userWithToken(stack.deps.models, stack.deps.config)),
    );
    const { token } = await createServiceToken(stack.deps.models, {
      name: 'core',
      scopes: ['notifications:send', 'notifications:read'],
    });
    const svc = { authorization: `Bearer ${token}` };
    const posted = await api('/users/notifications/kyc', {
      method: 'POST',
      headers: svc,
      json: { userIds: users.map((u) => u.user._id), status: 'approved' },
    });
    expect(posted.status).toBe(202);
    const ids: { userId: string; notificationId: string }[] = posted.json.data.notifications;
    const reads = await Promise.all(ids.map((n) => api(`/users/notifications/${n.notificationId}`, { headers: svc })));
    expect(reads.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(reads.map((r) => r.json.data.status)).toEqual(Array(50).fill('pending'));
    // The user it is for reads it too.
    const mine = await api(`/users/notifications/${ids[0].notificationId}`, {
      headers: users.find((u) => u.user._id === ids[0].userId)!.headers,
    });
    expect(mine.json.data).toMatchObject({
      userId: ids[0].userId,
      event: 'kyc_approved',
      status: 'pending',
      channels: [],
    });
  });

  it('serves an OpenAPI document whose server is relative, so "Try it out" works from any host', async () => {
    const doc = (await api('/openapi.json')).json;
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    // The page opened as localhost or 127.0.0.1 calls the same origin: no cross-origin request at all.
    expect((await api('/docs')).status).toBe(200);
  });

  it('allows only configured origins, answers their preflight, and sends nothing to others', async () => {
    const preflight = await fetch(`${stack.url}/users/register`, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    const simple = await fetch(`${stack.url}/healthz`, { headers: { origin: APP } });
    expect(simple.headers.get('access-control-allow-origin')).toBe(APP);
    expect(simple.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(simple.headers.get('vary')).toContain('Origin');

    for (const origin of ['https://evil.example', 'null', `${APP}.evil.example`]) {
      const foreign = await fetch(`${stack.url}/users/register`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      expect(
        (await fetch(`${stack.url}/healthz`, { headers: { origin } })).headers.get('access-control-allow-origin'),
      ).toBeNull();
    }
  });

  it('defaults: nothing in production, the API’s own origins in development; `*` is refused', () => {
    const base = { CORS_ORIGINS: undefined, PORT: 3000, API_PUBLIC_URL: 'https://api.example.test/' };
    expect([...allowedOrigins({ ...base, NODE_ENV: 'production' })]).toEqual([]);
    expect([...allowedOrigins({ ...base, NODE_ENV: 'development' })].sort()).toEqual([
      'http://127.0.0.1:3000',
      'http://localhost:3000',
      'https://api.example.test',
    ]);
    expect([
      ...allowedOrigins({ ...base, NODE_ENV: 'production', CORS_ORIGINS: 'https://a.test,https://b.test' }),
    ]).toEqual(['https://a.test', 'https://b.test']);
    const env = { ...TEST_SECRETS, NODE_ENV: 'production' };
    expect(() => loadConfig({ ...env, CORS_ORIGINS: '*' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, CORS_ORIGINS: 'https://a.test/path' })).toThrow(ConfigError);
    expect(loadConfig({ ...env, CORS_ORIGINS: 'https://a.test' }).CORS_ORIGINS).toBe('https://a.test');
    expect(testConfig().NODE_ENV).toBe('test');
  });
});

describe('the sandbox page: whose session is whose, newest first, a filter, a documented control API', () => {
  let sandbox: Awaited<ReturnType<typeof listen>>;
  const config = testConfig();
  beforeAll(async () => {
    sandbox = await listen(
      createSandboxApp({
        config,
        logger: createLogger({ level: 'silent', name: 'sandbox' }),
        deliver: async () => ({ delivered: true }),
      }).app,
    );
  });
  afterAll(() => sandbox?.close());

  const veriffSession = async (userId: string, firstName: string) => {
    const body = JSON.stringify({
      verification: { vendorData: userId, endUserId: userId, person: { firstName, lastName: 'Obi' } },
    });
    const res = await request(`${sandbox.url}/veriff/v1/sessions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-auth-client': config.VERIFF_API_KEY,
        'x-hmac-signature': veriffSignature(config.VERIFF_SHARED_SECRET, body),
      },
      body,
    });
    return res.json.verification.id as string;
  };
  const bridgeLink = async (email: string, name: string) =>
    (
      await request(`${sandbox.url}/bridge/v0/kyc_links`, {
        method: 'POST',
        headers: { 'api-key': config.BRIDGE_API_KEY, 'idempotency-key': randomUUID() },
        json: { email, full_name: name, type: 'individual' },
      })
    ).json.id as string;

  it('shows name, user id and masked email, newest first, and filters by full email', async () => {
    const [u1, u2] = [randomUUID(), randomUUID()];
    const s1 = await veriffSession(u1, 'Ada');
    await new Promise((r) => setTimeout(r, 5));
    const s2 = await veriffSession(u2, 'Bola');
    const l1 = await bridgeLink('ada.obi@example.com', 'Ada Obi');
    await new Promise((r) => setTimeout(r, 5));
    const l2 = await bridgeLink('bola.eze@example.com', 'Bola Eze');

    const page = (await request(`${sandbox.url}/`)).text;
    expect(page.indexOf(s2)).toBeLessThan(page.indexOf(s1));
    expect(page.indexOf(l2)).toBeLessThan(page.indexOf(l1));
    expect(page).toContain(u1);
    expect(page).toContain('Ada Obi');
    expect(page).toContain('a***@example.com');
    expect(page).not.toContain('ada.obi@example.com');

    const filtered = (await request(`${sandbox.url}/?q=${encodeURIComponent('ADA.OBI@example.com')}`)).text;
    expect(filtered).toContain(l1);
    expect(filtered).not.toContain(l2);
    const byUser = (await request(`${sandbox.url}/?q=${u2}`)).text;
    expect(byUser).toContain(s2);
    expect(byUser).not.toContain(s1);
    expect((await request(`${sandbox.url}/?q=${encodeURIComponent('<script>')}`)).text).not.toContain(
      'value="<script>"',
    );
  });

  it('serves its control API documentation (docs/sandbox.md), which names every control endpoint', async () => {
    const doc = await request(`${sandbox.url}/docs`);
    expect(doc.status).toBe(200);
    for (const path of [
      '/veriff/sessions/{sessionId}/decision',
      '/bridge/kyc_links/{linkId}/tos',
      '/bridge/kyc_links/{linkId}/kyc',
      '/outbox',
      '/sessions',
    ])
      expect(doc.text).toContain(path);
    expect(fs.existsSync(path.join(__dirname, '../../docs/sandbox.md'))).toBe(true);
    // No source file points at documentation that does not exist.
    expect(fs.readFileSync(path.join(__dirname, '../../services/sandbox/app.ts'), 'utf8')).not.toContain(
      'docs/providers.md',
    );
  });
});
