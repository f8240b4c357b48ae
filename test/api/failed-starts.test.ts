import { randomUUID } from 'node:crypto';

import { Client, Connection } from '@temporalio/client';

import { partnerKycWorkflowId, transactionHoldWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import { createApp } from '../../services/api/app';
import type { ApiDeps } from '../../services/api/deps';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { MAX_WELCOME_RESENDS } from '../../use-cases/users/staff-welcome';
import { listen, request, type RunningServer } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';
import { partnerTenant } from '../helpers/partner-kyc';
import { checkResponsesOf } from '../helpers/response-conformance';

const BVN = '67da909b739fc481aa525c45';
const person = { first_name: 'John', last_name: 'Doe', dob: '2000-01-01T00:00:00.000Z' };

/**
 * Issue 22: requests whose workflow (or notification) start failed because Temporal was out of
 * reach. Each is sent to an API instance whose Temporal client points at a dead address (port 1),
 * on the same database; the retry goes to the healthy instance, as a client retrying after a 503
 * would reach another instance or the same one once Temporal is back.
 */
describe('a failed workflow start leaves nothing a retry cannot mend', () => {
  let t: NotificationsStack;
  let down: RunningServer;
  let unreachable: Client;
  let p: Awaited<ReturnType<typeof partnerTenant>> & { adminEmail: string };

  beforeAll(async () => {
    t = await startNotificationsStack({
      workers: [onboardingWorkerSpec, notificationsWorkerSpec],
      config: { RATE_LIMIT_LOGIN_PER_IP: '10000' },
    });
    // Nothing listens on port 1; no retry interceptor, so each call fails at once instead of after ~20 s of retries.
    unreachable = new Client({
      connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s', interceptors: [] }),
    });
    const app = createApp({ ...t.stack.deps, temporal: unreachable } as ApiDeps);
    down = await listen(app);
    checkResponsesOf(down.url, app.locals.openApiRegistry);
    const name = `Failed Starts ${randomUUID().slice(0, 8)}`;
    p = {
      ...(await partnerTenant(t.stack.deps, name)),
      adminEmail: `admin@${name.toLowerCase().replace(/\W+/g, '-')}.test`,
    };
  }, 120_000);
  afterAll(async () => {
    await down?.close();
    await unreachable?.connection.close().catch(() => undefined);
    await t?.close();
  });

  const at =
    (base: string) =>
    (path: string, init: Parameters<typeof request>[1] = {}) =>
      request(`${base}${path}`, init);
  const api = (path: string, init: Parameters<typeof request>[1] = {}) => at(t.stack.url)(path, init);
  const inbox = async (to: string): Promise<{ subject?: string; body: string }[]> =>
    (await request(`${t.sandbox.url}/outbox?to=${encodeURIComponent(to)}`)).json.messages;
  const welcomes = (to: string, n = 1) =>
    eventually(
      async () => {
        const list = (await inbox(to)).filter((m) => m.subject?.startsWith('Welcome to '));
        return list.length >= n && list;
      },
      30_000,
      `${n} welcome email(s) to ${to}`,
    );
  const tokenIn = (m: { body: string }) =>
    new URL(/(http\S+set-password\?token=\S+)/.exec(m.body)![1]).searchParams.get('token')!;
  let adminToken: string | undefined;
  const adminHeaders = async () => {
    adminToken ??= (
      await api('/api/v1/auth/login', { method: 'POST', json: { email: p.adminEmail, password: 'SecurePass123!' } })
    ).json.data.accessToken;
    return { authorization: `Bearer ${adminToken}` };
  };
  const invite = async (base: string, email: string) =>
    at(base)('/api/v1/auth/users', {
      method: 'POST',
      headers: await adminHeaders(),
      json: { email, firstName: 'Jane', lastName: 'Smith', role: 'ANALYST' },
    });
  const workflowExists = (workflowId: string) =>
    t.stack.deps.temporal.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => true,
        () => false,
      );

  it('POST /transactions: a held transaction whose hold did not start answers 503; its retry starts the hold (200, not 409)', async () => {
    const email = `${randomUUID()}@example.com`;
    await api('/api/user/kyc/status', {
      method: 'POST',
      headers: { 'x-client-id': p.key },
      json: { email, countryIsoCode: 'NG' },
    });
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const svc = { authorization: `Bearer ${p.serviceToken}` };
    const tx = {
      transactionId: `tx-${randomUUID()}`,
      userId,
      direction: 'onramp',
      amount: 25,
      currency: 'USD',
      createdAt: new Date().toISOString(),
    };

    const failed = await at(down.url)('/transactions', { method: 'POST', headers: svc, json: tx });
    expect([failed.status, failed.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    const workflowId = transactionHoldWorkflowId(`${p.tenantId}:${tx.transactionId}`);
    expect(await workflowExists(workflowId)).toBe(false);

    const retried = await api('/transactions', { method: 'POST', headers: svc, json: tx });
    expect(retried.status).toBe(200);
    expect(retried.json.data).toMatchObject({
      transactionId: tx.transactionId,
      status: 'held',
      requiredKycType: 'advanced',
    });
    expect(await workflowExists(workflowId)).toBe(true);
    // Retried again: the same answer, one hold.
    expect((await api('/transactions', { method: 'POST', headers: svc, json: tx })).status).toBe(200);
  });

  it('POST /api/user/kyc/submit: a submission whose workflow did not start answers 503 and leaves no sealed row; the retry submits', async () => {
    const email = `${randomUUID()}@example.com`;
    const headers = { 'x-client-id': p.key };
    await api('/api/user/kyc/status', { method: 'POST', headers, json: { email, countryIsoCode: 'NG' } });
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const body = { email, documentId: BVN, userFields: { ...person, id_number: '22200000001' } };

    const failed = await at(down.url)('/api/user/kyc/submit', { method: 'POST', headers, json: body });
    expect([failed.status, failed.json.error?.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(await t.stack.deps.models.PartnerKycSubmission.countDocuments({ userId })).toBe(0);
    expect(await workflowExists(partnerKycWorkflowId(userId, BVN))).toBe(false);

    const retried = await api('/api/user/kyc/submit', { method: 'POST', headers, json: body });
    expect([retried.status, retried.json]).toEqual([200, { success: true }]);
    expect(await t.stack.deps.models.PartnerKycSubmission.countDocuments({ userId })).toBe(1);
    expect(await workflowExists(partnerKycWorkflowId(userId, BVN))).toBe(true);
  });

  it('POST /api/v1/auth/password/set: a link whose password write failed after its claim still works once, for that write only', async () => {
    const email = `staff.${randomUUID()}@example.com`;
    expect((await invite(t.stack.url, email)).status).toBe(201);
    const token = tokenIn((await welcomes(email))[0]);
    // An instance whose next user write fails (the database dropped the connection mid-request).
    let failNext = false;
    const { User } = t.stack.deps.models;
    const flaky = new Proxy(User, {
      get(target, prop, receiver) {
        if (prop === 'findOneAndUpdate' && failNext) {
          failNext = false;
          return () => Promise.reject(Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' }));
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const app = createApp({ ...t.stack.deps, models: { ...t.stack.deps.models, User: flaky } } as ApiDeps);
    const server = await listen(app);
    checkResponsesOf(server.url, app.locals.openApiRegistry);
    try {
      const set = (password: string) =>
        at(server.url)('/api/v1/auth/password/set', { method: 'POST', json: { token, password } });
      failNext = true;
      const failed = await set('First-Choice-123');
      expect([failed.status, failed.json.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(
        await t.stack.deps.models.AuditEvent.countDocuments({
          _id: { $regex: '^password-setup:' },
          subject: (await User.findOne({ email }).lean())!._id,
        }),
      ).toBe(1);
      expect(
        (await api('/api/v1/auth/login', { method: 'POST', json: { email, password: 'First-Choice-123' } })).status,
      ).toBe(401);

      // The same link again completes the lost write; then it is used up, whatever the password.
      const retried = await set('Second-Choice-456');
      expect([retried.status, retried.json.data]).toEqual([200, { passwordSet: true }]);
      expect(
        (await api('/api/v1/auth/login', { method: 'POST', json: { email, password: 'Second-Choice-456' } })).status,
      ).toBe(200);
      const again = await Promise.all([set('Third-Choice-789'), set('Fourth-Choice-012')]);
      expect(again.map((r) => [r.status, r.json.error?.code])).toEqual([
        [409, 'TOKEN_USED'],
        [409, 'TOKEN_USED'],
      ]);
      expect(
        (await api('/api/v1/auth/login', { method: 'POST', json: { email, password: 'Second-Choice-456' } })).status,
      ).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('POST /api/v1/auth/password/set: concurrent redemptions of one link set the password once', async () => {
    const email = `staff.${randomUUID()}@example.com`;
    expect((await invite(t.stack.url, email)).status).toBe(201);
    const token = tokenIn((await welcomes(email))[0]);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api('/api/v1/auth/password/set', { method: 'POST', json: { token, password: `Racing-Choice-${i}00` } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(7).fill(409)]);
    const winner = answers.findIndex((a) => a.status === 200);
    expect(
      (await api('/api/v1/auth/login', { method: 'POST', json: { email, password: `Racing-Choice-${winner}00` } }))
        .status,
    ).toBe(200);
  });

  it('POST /api/v1/auth/users: an invitation whose welcome did not start answers 503; the same invitation again sends it (not 409)', async () => {
    const email = `staff.${randomUUID()}@example.com`;
    const failed = await invite(down.url, email);
    expect([failed.status, failed.json.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await inbox(email)).toEqual([]);

    const retried = await invite(t.stack.url, email);
    expect(retried.status).toBe(201);
    expect(retried.json.data).toMatchObject({ email, firstName: 'Jane', lastName: 'Smith', role: 'ANALYST' });
    const token = tokenIn((await welcomes(email))[0]);
    expect(
      (await api('/api/v1/auth/password/set', { method: 'POST', json: { token, password: 'Jane-Chose-This-1' } }))
        .status,
    ).toBe(200);
    expect(
      (await api('/api/v1/auth/login', { method: 'POST', json: { email, password: 'Jane-Chose-This-1' } })).status,
    ).toBe(200);

    // Once the password is set, or for other details, the email is simply taken.
    const after = await invite(t.stack.url, email);
    expect([after.status, after.json.error.code]).toEqual([409, 'USER_ALREADY_EXISTS']);
    const other = `staff.${randomUUID()}@example.com`;
    expect((await invite(t.stack.url, other)).status).toBe(201);
    const renamed = await at(t.stack.url)('/api/v1/auth/users', {
      method: 'POST',
      headers: await adminHeaders(),
      json: { email: other, firstName: 'Someone', lastName: 'Else', role: 'ANALYST' },
    });
    expect([renamed.status, renamed.json.error.code]).toEqual([409, 'USER_ALREADY_EXISTS']);
  });

  it('POST /api/v1/auth/users/{id}/welcome: sends the welcome whose start failed, then new ones whose link replaces the older; audited and limited', async () => {
    const email = `staff.${randomUUID()}@example.com`;
    expect((await invite(down.url, email)).status).toBe(503);
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const resend = async () =>
      at(t.stack.url)(`/api/v1/auth/users/${userId}/welcome`, { method: 'POST', headers: await adminHeaders() });

    // Not on an instance where Temporal is out of reach either.
    const downResend = await at(down.url)(`/api/v1/auth/users/${userId}/welcome`, {
      method: 'POST',
      headers: await adminHeaders(),
    });
    expect([downResend.status, downResend.json.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);

    const first = await resend();
    expect([first.status, first.json.data]).toEqual([202, { notificationId: `staff-welcome-${userId}` }]);
    const firstToken = tokenIn((await welcomes(email))[0]);
    const second = await resend();
    expect([second.status, second.json.data]).toEqual([202, { notificationId: `staff-welcome-${userId}-2` }]);
    const mails = await welcomes(email, 2);
    const tokens = mails.map(tokenIn);
    const secondToken = tokens.find((tk) => tk !== firstToken)!;
    expect(secondToken).toBeDefined();
    const set = (token: string) =>
      api('/api/v1/auth/password/set', { method: 'POST', json: { token, password: 'Jane-Chose-This-2' } });
    expect((await set(firstToken)).json.error.code).toBe('INVALID_TOKEN');
    expect((await set(secondToken)).status).toBe(200);
    const audits = await t.stack.deps.models.AuditEvent.find({ subject: userId, action: 'user.welcome_sent' }).lean();
    expect(audits.map((a) => (a.to as { notificationId: string }).notificationId).sort()).toEqual([
      `staff-welcome-${userId}`,
      `staff-welcome-${userId}-2`,
    ]);

    const done = await resend();
    expect([done.status, done.json.error.code]).toEqual([409, 'PASSWORD_ALREADY_SET']);
    const stranger = await at(t.stack.url)(`/api/v1/auth/users/${randomUUID()}/welcome`, {
      method: 'POST',
      headers: await adminHeaders(),
    });
    expect(stranger.status).toBe(404);
  });

  it('POST /api/v1/auth/users/{id}/welcome stops after MAX_WELCOME_RESENDS and is documented', async () => {
    const email = `staff.${randomUUID()}@example.com`;
    expect((await invite(t.stack.url, email)).status).toBe(201);
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const resend = async () =>
      at(t.stack.url)(`/api/v1/auth/users/${userId}/welcome`, { method: 'POST', headers: await adminHeaders() });
    for (let n = 2; n <= MAX_WELCOME_RESENDS + 1; n++)
      expect((await resend()).json.data).toEqual({ notificationId: `staff-welcome-${userId}-${n}` });
    const over = await resend();
    expect([over.status, over.json.error.code]).toEqual([409, 'WELCOME_RESEND_LIMIT']);
    const doc = (await api('/openapi.json')).json;
    const responses = doc.paths['/api/v1/auth/users/{id}/welcome'].post.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['202', '404', '409', '429', '503']));
  });

  it('POST /users/register: a registration whose workflow did not start leaves no row behind (its details travel sealed in the request), and its retry works', async () => {
    const phones = new Map<string, string>();
    const register = (base: string, email: string) => {
      if (!phones.has(email))
        phones.set(email, `+23480${String(10_000_000 + phones.size * 7_919 + (Date.now() % 1_000_000))}`);
      return at(base)('/users/register', {
        method: 'POST',
        json: {
          email,
          password: 'Register-Pass-123',
          firstName: 'Ada',
          lastName: 'Obi',
          country: 'NG',
          phone: phones.get(email),
        },
      });
    };
    const rowsOf = async (email: string) =>
      (await t.stack.deps.models.PendingRegistration.countDocuments({ email })) +
      (await t.stack.deps.models.User.countDocuments({ email }));
    const first = `ada.${randomUUID()}@example.com`;
    const failed = await register(down.url, first);
    expect([failed.status, failed.json.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    // No pending row with the password hash, no user: the sealed details existed only in the request.
    expect(await rowsOf(first)).toBe(0);
    // The retry of a failed registration works, and creates the user once.
    expect((await register(t.stack.url, first)).status).toBe(201);
    expect(await t.stack.deps.models.User.countDocuments({ email: first })).toBe(1);
    expect(await t.stack.deps.models.PendingRegistration.countDocuments({ email: first })).toBe(0);
  });
});
