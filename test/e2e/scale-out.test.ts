import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Worker } from '@temporalio/worker';

import { createLogger } from '../../adapters/logger';
import { freePort, httpOk, type ManagedProcess, spawnManaged, waitUntil } from '../../infra/processes';
import { createWorker } from '../../services/common/worker-runner';
import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { createSandboxApp } from '../../services/sandbox/app';
import { Outbox } from '../../services/sandbox/outbox';
import { TEST_SECRETS, testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { listen, request, type RunningServer } from '../helpers/http';
import { connectTestTemporal, workflowBundle } from '../helpers/temporal';
import { eventually, waitFor } from '../helpers/wait';

// What a team runs in production, in miniature: two API processes (as behind a load balancer) and
// two onboarding worker processes on one task queue, against one Temporal and one database, each
// process started from its own environment as a container would be. Rate limits and refresh-token
// rotation live in the database, so they must behave exactly as with one API. (The kyc and
// notifications workers run in this process: one of each is enough to show the point.)
const root = path.resolve(__dirname, '../..');
const LOGIN_LIMIT = 6;

describe('scaling out: two API processes and two onboarding workers', () => {
  let db: TestDatabase;
  let sandbox: RunningServer;
  let apis: { url: string; proc: ManagedProcess }[] = [];
  let onboardingWorkers: ManagedProcess[] = [];
  let workers: Worker[] = [];
  let running: Promise<void>[] = [];
  let temporal: Awaited<ReturnType<typeof connectTestTemporal>>;
  let scratch: string;
  const outbox = new Outbox();
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const dbUri = new URL(process.env.TEST_MONGODB_URI!);
    dbUri.pathname = `/${db.conn.name}`;
    const ports = [await freePort(), await freePort()];
    const apiUrls = ports.map((p) => `http://127.0.0.1:${p}`);

    const base = testConfig({ MONGODB_URI: dbUri.toString(), RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT) });
    // Provider webhooks go to the first API, as a load balancer might route them.
    const sandboxApp = createSandboxApp({
      config: base,
      logger: createLogger({ level: 'silent', name: 'sandbox' }),
      apiUrl: () => apiUrls[0],
      outbox,
    });
    sandbox = await listen(sandboxApp.app);
    const config = testConfig({
      MONGODB_URI: dbUri.toString(),
      SANDBOX_URL: sandbox.url,
      RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT),
    });

    temporal = await connectTestTemporal(config.TEMPORAL_ADDRESS);
    const deps = { config, logger: createLogger({ level: 'silent', name: 'worker' }), models: db.models };
    const bundle = await workflowBundle();
    workers = [
      await createWorker(notificationsWorkerSpec, deps, temporal.nativeConnection, {
        workflowBundle: bundle,
        workflowsPath: undefined,
      }),
      await createWorker(kycWorkerSpec, deps, temporal.nativeConnection),
    ];
    running = workers.map((w) => w.run());
    // The worker processes load the prebuilt bundle, as production workers do (WORKFLOW_BUNDLE_PATH).
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-scale-'));
    const bundlePath = path.join(scratch, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);

    // Every child reads only its own configuration from the environment, as in a container.
    const childEnv = (extra: Record<string, string>) => ({
      PATH: process.env.PATH,
      ...TEST_SECRETS,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      MONGODB_URI: dbUri.toString(),
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TASK_QUEUE_PREFIX: config.TASK_QUEUE_PREFIX,
      SANDBOX_URL: sandbox.url,
      ...extra,
    });
    // Children's output is kept for the failure message (a container's logs).
    const onLine = (name: string) => (line: string) => void logs.push(`[${name}] ${line}`);
    onboardingWorkers = [0, 1].map((i) =>
      spawnManaged(
        `onboarding-worker-${i}`,
        process.execPath,
        ['--import', 'tsx', 'services/onboarding-worker/main.ts'],
        {
          cwd: root,
          env: childEnv({ WORKFLOW_BUNDLE_PATH: bundlePath }),
          onLine: onLine(`onboarding-worker-${i}`),
        },
      ),
    );
    apis = ports.map((port, i) => {
      const env = {
        ...childEnv({}),
        PORT: String(port),
        HOST: '127.0.0.1',
        API_PUBLIC_URL: apiUrls[i],
        RATE_LIMIT_LOGIN_PER_IP: String(LOGIN_LIMIT),
      };
      const proc = spawnManaged(`api-${i}`, process.execPath, ['--import', 'tsx', 'services/api/main.ts'], {
        cwd: root,
        env,
        onLine: onLine(`api-${i}`),
      });
      return { url: apiUrls[i], proc };
    });
    try {
      for (const api of apis)
        await waitUntil(api.proc.name, () => httpOk(`${api.url}/readyz`).catch(() => false), {
          timeoutMs: 90_000,
          proc: api.proc,
        });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${logs.slice(-40).join('\n')}`, { cause: err });
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...apis.map((a) => a.proc), ...onboardingWorkers].map((p) => p.stop(10_000)));
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.allSettled(running);
    await temporal?.close();
    await sandbox?.close();
    await db?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** The confirmation code, as the user reads it: from the email in the sandbox outbox. */
  const codeFor = async (email: string) => {
    const mail = await eventually(
      async () => outbox.list({ to: email }).find((m) => m.subject === 'Your verification code'),
      45_000,
      'verification email',
    );
    return /\b(\d{6})\b/.exec(mail.body)![1];
  };

  const [A, B] = [0, 1].map(
    (i) =>
      (p: string, init: Parameters<typeof request>[1] = {}) =>
        request(`${apis[i].url}${p}`, init),
  );

  it('an onboarding runs to active with every call alternating between the two APIs', async () => {
    const email = `${randomUUID()}@example.test`;
    const password = 'correct horse battery';
    const reg = await A('/users/register', {
      method: 'POST',
      json: { email, password, firstName: 'Ada', lastName: 'Obi', country: 'NG' },
    });
    expect(reg.status).toBe(201);
    const userId: string = reg.json.data.userId;
    expect((await B('/users/confirm', { method: 'POST', json: { email, code: await codeFor(email) } })).status).toBe(
      200,
    );
    const signIn = await A('/api/v1/auth/login', { method: 'POST', json: { email, password } });
    expect(signIn.status).toBe(200);
    const headers = { authorization: `Bearer ${signIn.json.data.accessToken}` };

    const session = await B(`/users/${userId}/kyc-session`, { method: 'POST', headers });
    expect(session.status).toBe(201);
    const veriff = (status: string) =>
      request(`${sandbox.url}/veriff/sessions/${session.json.data.sessionId}/decision`, {
        method: 'POST',
        json: { status },
      });
    await veriff('started');
    await veriff('submitted');
    await veriff('approved');
    const onboarding = (api: typeof A) => api(`/users/${userId}/onboarding`, { headers }).then((r) => r.json.data);
    await waitFor(
      () => onboarding(A),
      (o) => o?.step === 'awaiting_bridge_link',
      30_000,
    );
    const link = await B(`/users/${userId}/bridge-kyc`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `scale-${userId}` },
    });
    expect(link.status).toBe(200);
    await request(`${sandbox.url}/bridge/kyc_links/${link.json.data.kycLinkId}/tos`, { method: 'POST', json: {} });
    await request(`${sandbox.url}/bridge/kyc_links/${link.json.data.kycLinkId}/kyc`, {
      method: 'POST',
      json: { status: 'approved' },
    });
    expect(
      await waitFor(
        () => onboarding(B),
        (o) => o?.step === 'active',
        30_000,
      ),
    ).toMatchObject({ outcome: 'active' });
  });

  it('the per-IP login limit is one budget across both APIs, even with requests at once', async () => {
    const attempts = await Promise.all(
      // One client address (forwarded by the trusted local proxy) whose budget nothing else has used.
      Array.from({ length: 2 * LOGIN_LIMIT }, (_, i) =>
        (i % 2 ? A : B)('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'x-forwarded-for': '10.1.2.3' },
          json: { email: `nobody-${i}@example.test`, password: 'wrong password 1' },
        }),
      ),
    );
    const limited = attempts.filter((r) => r.status === 429).length;
    // Exactly the budget is evaluated; the rest are refused, whichever API they reached.
    expect(attempts.length - limited).toBe(LOGIN_LIMIT);
  });

  it('refresh rotation holds across APIs: a refresh token replayed on the other API revokes the family', async () => {
    const email = `${randomUUID()}@example.test`;
    const password = 'correct horse battery';
    const reg = await B('/users/register', {
      method: 'POST',
      json: { email, password, firstName: 'Ada', lastName: 'Obi', country: 'NG' },
    });
    expect(reg.status).toBe(201);
    expect((await A('/users/confirm', { method: 'POST', json: { email, code: await codeFor(email) } })).status).toBe(
      200,
    );
    // A fresh address so the previous test's spent login budget does not apply.
    const signIn = await A('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'x-forwarded-for': '10.9.8.7' },
      json: { email, password },
    });
    expect(signIn.status).toBe(200);
    const first = signIn.json.data.refreshToken as string;
    const rotated = await B('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken: first } });
    expect(rotated.status).toBe(200);
    const replay = await A('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken: first } });
    expect(replay.status).toBe(401);
    // Reuse of a rotated token revokes the whole family: the newer token is dead too, on either API.
    expect(
      (await B('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken: rotated.json.data.refreshToken } }))
        .status,
    ).toBe(401);
  });
});
