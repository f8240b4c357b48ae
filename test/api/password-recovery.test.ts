import { randomInt } from 'node:crypto';

import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';

import { createNotificationActivities } from '../../activities/notifications/create-notification-activities';
import { type EmailMessage, RejectedByProvider } from '../../adapters/notifications/channel';
import { createApp } from '../../services/api/app';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { decodedHistoryText } from '../helpers/history-text';
import { listen, request, type RunningServer } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';
import { checkResponsesOf } from '../helpers/response-conformance';

interface Mail {
  to: string;
  subject?: string;
  body: string;
}

const PASSWORD = 'Original-Pass-123';
const NEW_PASSWORD = 'Brand-New-Pass-456';
const RESET_SUBJECT = 'Your password reset code';
const CHANGED_SUBJECT = 'Your password was changed';
const INVALID_CODE = {
  success: false,
  error: {
    code: 'INVALID_CODE',
    message:
      'This code is not valid: it is wrong, expired, already used or replaced by a newer one. Ask for a new one with POST /users/password/forgot',
  },
};

/**
 * Issue 22: password recovery by emailed code, password change, and no bearer secret in workflow
 * history. Everything goes through the public HTTP surface and the sandbox outbox (where a person
 * reads their email); the database is only read, to check what is stored.
 */
describe('password recovery and change', () => {
  let t: NotificationsStack;
  beforeAll(async () => {
    t = await startNotificationsStack({
      workers: [onboardingWorkerSpec, notificationsWorkerSpec],
      config: {
        RATE_LIMIT_LOGIN_PER_IP: '10000',
        RATE_LIMIT_REFRESH_PER_IP: '10000',
        RATE_LIMIT_FORGOT_PER_IP: '10000',
        RATE_LIMIT_FORGOT_PER_EMAIL: '10000',
        RATE_LIMIT_RESET_PER_IP: '10000',
        RATE_LIMIT_RESET_PER_EMAIL: '10000',
        AUTH_LOCKOUT_MAX_FAILURES: '5',
      },
    });
  });
  afterAll(() => t?.close());

  const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${t.stack.url}${path}`, init);
  const inbox = async (to: string): Promise<Mail[]> =>
    (await request(`${t.sandbox.url}/outbox?to=${encodeURIComponent(to)}`)).json.messages;
  /** The `n` newest mails with this subject (newest first), once at least `n` arrived. */
  const mails = (to: string, subject: string, n = 1) =>
    eventually(
      async () => {
        const list = (await inbox(to)).filter((m) => m.subject === subject);
        return list.length >= n && list;
      },
      30_000,
      `${n} × "${subject}" to ${to}`,
    );
  const mail = async (to: string, subject: string) => (await mails(to, subject))[0];
  const codeIn = (m: Mail) => /\b(\d{6})\b/.exec(m.body)![1];
  const login = (email: string, password: string) =>
    api('/api/v1/auth/login', { method: 'POST', json: { email, password } });
  const refresh = (refreshToken: string) => api('/api/v1/auth/refresh', { method: 'POST', json: { refreshToken } });
  const me = (accessToken: string) => api('/api/v1/auth/me', { headers: { authorization: `Bearer ${accessToken}` } });
  const forgot = (email: string, headers: Record<string, string> = {}) =>
    api('/users/password/forgot', { method: 'POST', headers, json: { email } });
  const reset = (email: string, code: string, newPassword = NEW_PASSWORD) =>
    api('/users/password/reset', { method: 'POST', json: { email, code, newPassword } });
  const change = (accessToken: string, currentPassword: string, newPassword: string) =>
    api('/api/v1/auth/password/change', {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      json: { currentPassword, newPassword },
    });
  const otherCode = (code: string, i = 1) => String((Number(code) + i) % 1_000_000).padStart(6, '0');
  /** Mail that did not come: given time to arrive first (these emails arrive within a second or two). */
  const settle = () => new Promise((r) => setTimeout(r, 3_000));

  /** A retail user as a person becomes one: registration, then the code from the confirmation email. */
  async function retailUser(extra: Record<string, unknown> = {}) {
    const email = `ada.${randomInt(1e9)}@example.com`;
    const phone = `+23480${randomInt(10_000_000, 99_999_999)}`;
    const reg = await api('/users/register', {
      method: 'POST',
      json: { email, password: PASSWORD, firstName: 'Ada', lastName: 'Obi', country: 'NG', phone, ...extra },
    });
    expect(reg.status).toBe(201);
    const confirm = await api('/users/confirm', {
      method: 'POST',
      json: { email, code: codeIn(await mail(email, 'Your verification code')) },
    });
    expect(confirm.status).toBe(200);
    return {
      email,
      phone,
      userId: reg.json.data.userId as string,
      tenantId: (reg.json.data.tenantId ?? null) as string | null,
    };
  }

  let admin: { email: string; tenantId: string; accessToken: string } | undefined;
  /** A BANK_ADMIN, made the public way: registration naming a new organization. */
  async function bankAdmin() {
    if (admin) return admin;
    const u = await retailUser({ org_name: `Recovery Bank ${randomInt(1e9)}` });
    const res = await login(u.email, PASSWORD);
    expect(res.status).toBe(200);
    admin = { email: u.email, tenantId: u.tenantId!, accessToken: res.json.data.accessToken };
    return admin;
  }
  async function staffMember(password?: string) {
    const a = await bankAdmin();
    const email = `staff.${randomInt(1e9)}@example.com`;
    const created = await api('/api/v1/auth/users', {
      method: 'POST',
      headers: { authorization: `Bearer ${a.accessToken}` },
      json: { email, firstName: 'Jane', lastName: 'Smith', role: 'ANALYST', ...(password ? { password } : {}) },
    });
    expect(created.status).toBe(201);
    return { email, userId: created.json.data.id as string };
  }

  it('recovers an account end to end: forgot → code by email → reset; old password, old sessions and the code itself stop working', async () => {
    const u = await retailUser();
    const before = (await login(u.email, PASSWORD)).json.data;
    expect((await me(before.accessToken)).status).toBe(200);

    const asked = await forgot(u.email);
    expect(asked.status).toBe(202);
    const email = await mail(u.email, RESET_SUBJECT);
    const code = codeIn(email);
    expect(email.body).toContain('30 minutes');
    // At rest only a keyed digest, bound to the user and the code's id.
    const stored = await t.stack.deps.db.collection('passwordResetCodes').findOne({ _id: u.userId as never });
    expect(stored).toMatchObject({ digest: expect.stringMatching(/^[0-9a-f]{64}$/), kid: 'test1' });
    expect(JSON.stringify(stored)).not.toContain(code);

    const done = await reset(u.email, code);
    expect(done.status).toBe(200);
    expect(done.json).toEqual({ success: true, data: { passwordReset: true } });

    expect((await login(u.email, PASSWORD)).status).toBe(401);
    const after = await login(u.email, NEW_PASSWORD);
    expect(after.status).toBe(200);
    // Every earlier session ended: its refresh token and its access token.
    const stale = await refresh(before.refreshToken);
    expect([stale.status, stale.json.error.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
    expect((await me(before.accessToken)).status).toBe(401);
    expect((await me(after.json.data.accessToken)).status).toBe(200);

    const notice = await mail(u.email, CHANGED_SUBJECT);
    expect(notice.body).not.toContain(NEW_PASSWORD);
    // The code worked once.
    const again = await reset(u.email, code, 'Another-Pass-789');
    expect([again.status, again.json]).toEqual([400, INVALID_CODE]);
    expect((await login(u.email, NEW_PASSWORD)).status).toBe(200);

    const audit = await t.stack.deps.models.AuditEvent.find({
      subject: u.userId,
      action: 'user.password_reset',
    }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: u.userId, requestId: done.headers.get('x-request-id') });
    expect(JSON.stringify(audit)).not.toContain(code);
  });

  it('answers an unknown address exactly as a known one, and emails only the known one', async () => {
    const u = await retailUser();
    const nobody = `nobody.${randomInt(1e9)}@example.com`;
    const known = await forgot(u.email);
    const unknown = await forgot(nobody);
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(unknown.json).toEqual(known.json);
    expect(unknown.text).toBe(known.text);
    await mail(u.email, RESET_SUBJECT);
    await settle();
    expect(await inbox(nobody)).toEqual([]);
    // Nothing about the account changed by asking.
    expect((await login(u.email, PASSWORD)).status).toBe(200);
  });

  it('burns a code after 5 wrong ones: the right code then fails too, and a new code works', async () => {
    const u = await retailUser();
    await forgot(u.email);
    const code = codeIn(await mail(u.email, RESET_SUBJECT));
    for (let i = 1; i <= 6; i++) {
      const wrong = await reset(u.email, otherCode(code, i));
      expect([i, wrong.status, wrong.json]).toEqual([i, 400, INVALID_CODE]);
    }
    const burnt = await reset(u.email, code);
    expect([burnt.status, burnt.json]).toEqual([400, INVALID_CODE]);
    expect((await login(u.email, PASSWORD)).status).toBe(200);
    expect((await login(u.email, NEW_PASSWORD)).status).toBe(401);

    await forgot(u.email);
    const fresh = codeIn((await mails(u.email, RESET_SUBJECT, 2))[0]);
    expect((await reset(u.email, fresh)).status).toBe(200);
    expect((await login(u.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('counts wrong codes per code: 4 wrong ones leave the right one working', async () => {
    const u = await retailUser();
    await forgot(u.email);
    const code = codeIn(await mail(u.email, RESET_SUBJECT));
    for (let i = 1; i <= 4; i++) expect((await reset(u.email, otherCode(code, i))).status).toBe(400);
    expect((await reset(u.email, code)).status).toBe(200);
  });

  it('a newer code replaces the older one', async () => {
    const u = await retailUser();
    await forgot(u.email);
    const first = codeIn(await mail(u.email, RESET_SUBJECT));
    await forgot(u.email);
    const [newest, older] = await mails(u.email, RESET_SUBJECT, 2);
    expect(codeIn(older)).toBe(first);
    const second = codeIn(newest);
    if (second !== first) expect((await reset(u.email, first)).json).toEqual(INVALID_CODE);
    expect((await reset(u.email, second)).status).toBe(200);
  });

  describe('limits hold under 50 concurrent requests', () => {
    // An API instance of its own with the documented small limits, its clock at the start of the
    // current window (no burst straddles a window's end); clients told apart by X-Forwarded-For
    // (the stack trusts its loopback proxy, TRUST_PROXY's default).
    let server: RunningServer;
    beforeAll(async () => {
      const windowMs = t.stack.deps.config.RATE_LIMIT_PASSWORD_WINDOW_SECONDS * 1000;
      const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
      const config = {
        ...t.stack.deps.config,
        RATE_LIMIT_FORGOT_PER_IP: 10,
        RATE_LIMIT_FORGOT_PER_EMAIL: 3,
        RATE_LIMIT_RESET_PER_IP: 7,
        RATE_LIMIT_RESET_PER_EMAIL: 1000,
      };
      const app = createApp({ ...t.stack.deps, config, now: () => new Date(windowStart + 1_000) });
      server = await listen(app);
      checkResponsesOf(server.url, app.locals.openApiRegistry);
    });
    afterAll(() => server?.close());
    const post = (path: string, json: unknown, clientIp: string) =>
      request(`${server.url}${path}`, { method: 'POST', headers: { 'x-forwarded-for': clientIp }, json });

    it('forgot: 10 per client IP', async () => {
      const client = '198.51.100.10';
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post('/users/password/forgot', { email: `flood.${i}.${randomInt(1e9)}@example.com` }, client),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40);
      const limited = answers.find((a) => a.status === 429)!;
      expect(limited.json.error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('forgot: 3 per address, from any number of clients, and so at most 3 emails', async () => {
      const u = await retailUser();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => post('/users/password/forgot', { email: u.email }, `192.0.2.${i + 1}`)),
      );
      expect(answers.filter((a) => a.status === 202)).toHaveLength(3);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(47);
      await mails(u.email, RESET_SUBJECT, 3);
      await settle();
      expect((await inbox(u.email)).filter((m) => m.subject === RESET_SUBJECT)).toHaveLength(3);
    });

    it('reset: 7 per client IP', async () => {
      const client = '198.51.100.20';
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          post(
            '/users/password/reset',
            { email: `guess.${i}@example.com`, code: '000000', newPassword: NEW_PASSWORD },
            client,
          ),
        ),
      );
      expect(answers.filter((a) => a.status === 400)).toHaveLength(7);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(43);
      expect(answers.find((a) => a.status === 400)!.json).toEqual(INVALID_CODE);
    });
  });

  it('changes the password of a signed-in user: wrong current password refused; other sessions end; the caller gets new tokens', async () => {
    const u = await retailUser();
    const mine = (await login(u.email, PASSWORD)).json.data;
    const other = (await login(u.email, PASSWORD)).json.data;

    const wrong = await change(mine.accessToken, 'Not-The-Password-1', NEW_PASSWORD);
    expect([wrong.status, wrong.json.error.code]).toEqual([400, 'INVALID_CURRENT_PASSWORD']);
    const weak = await change(mine.accessToken, PASSWORD, 'short');
    expect([weak.status, weak.json.error.code, weak.json.error.details[0].path]).toEqual([
      400,
      'VALIDATION_ERROR',
      'newPassword',
    ]);
    const same = await change(mine.accessToken, PASSWORD, PASSWORD);
    expect([same.status, same.json.error.code]).toEqual([400, 'PASSWORD_UNCHANGED']);
    expect((await change('not-a-token', PASSWORD, NEW_PASSWORD)).status).toBe(401);
    // Nothing changed so far.
    expect((await me(other.accessToken)).status).toBe(200);

    const changed = await change(mine.accessToken, PASSWORD, NEW_PASSWORD);
    expect(changed.status).toBe(200);
    expect(Object.keys(changed.json.data).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
    // The other session is over, refresh token and access token.
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await me(other.accessToken)).status).toBe(401);
    // The caller's session was re-issued: its old tokens are over, the new pair works.
    expect((await me(mine.accessToken)).status).toBe(401);
    expect((await refresh(mine.refreshToken)).status).toBe(401);
    expect((await me(changed.json.data.accessToken)).status).toBe(200);
    expect((await refresh(changed.json.data.refreshToken)).status).toBe(200);

    expect((await login(u.email, PASSWORD)).status).toBe(401);
    expect((await login(u.email, NEW_PASSWORD)).status).toBe(200);
    await mail(u.email, CHANGED_SUBJECT);
    const audit = await t.stack.deps.models.AuditEvent.find({
      subject: u.userId,
      action: 'user.password_changed',
    }).lean();
    expect(audit.map((a) => [a.actor, a.requestId])).toEqual([[u.userId, changed.headers.get('x-request-id')]]);
  });

  it('counts wrong current passwords in the account lockout shared with sign-in', async () => {
    const u = await retailUser();
    const token = (await login(u.email, PASSWORD)).json.data.accessToken;
    for (let i = 0; i < 5; i++) expect((await change(token, `Wrong-Pass-${i}-xyz`, NEW_PASSWORD)).status).toBe(400);
    const locked = await change(token, PASSWORD, NEW_PASSWORD);
    expect([locked.status, locked.json.error.code]).toEqual([429, 'ACCOUNT_LOCKED']);
    expect((await login(u.email, PASSWORD)).json.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('tenant staff recover too; deactivated staff and staff without a password get no code', async () => {
    const a = await bankAdmin();
    const staff = await staffMember('Admin-Chose-It-9');
    const noPassword = await staffMember();
    const leaving = await staffMember('Admin-Chose-It-9');
    const deactivated = await api(`/api/v1/auth/users/${leaving.userId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${a.accessToken}` },
    });
    expect(deactivated.status).toBe(200);

    const answers = await Promise.all([forgot(leaving.email), forgot(noPassword.email), forgot(staff.email)]);
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(new Set(answers.map((r) => r.text)).size).toBe(1);
    const code = codeIn(await mail(staff.email, RESET_SUBJECT));
    expect((await reset(staff.email, code)).status).toBe(200);
    const signedIn = await login(staff.email, NEW_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect((await me(signedIn.json.data.accessToken)).json.data).toMatchObject({ email: staff.email, role: 'ANALYST' });
    await mail(staff.email, CHANGED_SUBJECT);

    await settle();
    for (const who of [leaving, noPassword])
      expect((await inbox(who.email)).filter((m) => m.subject === RESET_SUBJECT)).toEqual([]);
  });

  it('a retried email send mints a new secret and the older one stops working; a retry after the send mints nothing', async () => {
    const staff = await staffMember();
    const u = await retailUser();
    // The real welcome email first: its link is minted when it is sent, and would replace ours.
    await eventually(
      async () => (await inbox(staff.email)).find((m) => m.subject?.startsWith('Welcome to')),
      30_000,
      'the welcome email',
    );
    const sent: EmailMessage[] = [];
    let failNext = true;
    const email = {
      async send(m: EmailMessage) {
        sent.push(m);
        // The provider refused the first attempt (nothing went out): the activity's retry sends again.
        if (failNext) {
          failNext = false;
          throw new RejectedByProvider(503, 'try again');
        }
        return { providerMessageId: `fake-${sent.length}` };
      },
    };
    const unused = { send: async () => ({ providerMessageId: 'x' }), idempotent: true };
    const { sendEmail } = createNotificationActivities({
      config: t.stack.deps.config,
      models: t.stack.deps.models,
      channels: { email, sms: unused, push: unused } as never,
    });
    const quiet = new DefaultLogger('ERROR');
    const attempt = (input: Parameters<typeof sendEmail>[0]) =>
      new MockActivityEnvironment(undefined, { logger: quiet }).run(sendEmail, input).catch((err: Error) => err);

    // Set-password link.
    const welcome = {
      notificationId: `retry-welcome-${randomInt(1e9)}`,
      userId: staff.userId,
      event: 'staff_welcome' as const,
      data: {},
    };
    expect(await attempt(welcome)).toBeInstanceOf(RejectedByProvider);
    await attempt(welcome);
    await attempt(welcome); // finds the delivery sent: no provider call, no new link
    expect(sent).toHaveLength(2);
    const [firstLink, secondLink] = sent.map((m) =>
      new URL(/(http\S+set-password\?token=\S+)/.exec(m.text)![1]).searchParams.get('token')!,
    );
    expect(firstLink).not.toBe(secondLink);
    const setWith = (token: string) =>
      api('/api/v1/auth/password/set', { method: 'POST', json: { token, password: NEW_PASSWORD } });
    expect((await setWith(firstLink)).json.error.code).toBe('INVALID_TOKEN');
    expect((await setWith(secondLink)).status).toBe(200);

    // Reset code.
    failNext = true;
    sent.length = 0;
    const code = {
      notificationId: `retry-code-${randomInt(1e9)}`,
      userId: u.userId,
      event: 'password_reset_code' as const,
      data: {},
    };
    expect(await attempt(code)).toBeInstanceOf(RejectedByProvider);
    await attempt(code);
    await attempt(code);
    expect(sent).toHaveLength(2);
    const [firstCode, secondCode] = sent.map((m) => codeIn({ to: m.to, body: m.text }));
    if (firstCode !== secondCode) expect((await reset(u.email, firstCode)).json).toEqual(INVALID_CODE);
    expect((await reset(u.email, secondCode)).status).toBe(200);
  });

  it('no code, set-password token, link, password hash, email address or phone number in any workflow history', async () => {
    const a = await bankAdmin();
    const u = await retailUser();
    const since = new Date();

    // A staff invitation: the welcome email and its link, used.
    const staff = await staffMember();
    const welcome = await mail(
      staff.email,
      `Welcome to ${(await t.stack.deps.models.Organization.findById(a.tenantId).lean())!.name}`,
    );
    const link = /(http\S+set-password\?token=\S+)/.exec(welcome.body)![1];
    const token = new URL(link).searchParams.get('token')!;
    expect(token).toMatch(/^pst_/);
    expect(
      (await api('/api/v1/auth/password/set', { method: 'POST', json: { token, password: PASSWORD } })).status,
    ).toBe(200);
    // A password reset and a password change.
    await forgot(u.email);
    const code = codeIn(await mail(u.email, RESET_SUBJECT));
    expect((await reset(u.email, code)).status).toBe(200);
    const session = (await login(u.email, NEW_PASSWORD)).json.data;
    expect((await change(session.accessToken, NEW_PASSWORD, 'Third-Pass-Word-7')).status).toBe(200);
    await mails(u.email, CHANGED_SUBJECT, 2);

    const hashes = (
      await t.stack.deps.models.User.find({ _id: { $in: [u.userId, staff.userId] } }, { passwordHash: 1 }).lean()
    ).map((x) => x.passwordHash!);
    expect(hashes).toHaveLength(2);
    const secrets = [
      code,
      token,
      link,
      encodeURIComponent(token),
      'set-password?token',
      ...hashes,
      u.email,
      u.phone,
      staff.email,
      a.email,
    ];

    // Every workflow this test file's queues started since, as an operator lists and reads them.
    const prefix = t.stack.deps.config.TASK_QUEUE_PREFIX;
    const client = t.stack.deps.temporal;
    const expected = [`notify-staff-welcome-${staff.userId}`, 'notify-password-reset-', 'notify-password-changed-'];
    // The staff member's and the retail user's notifications at least: each names its user.
    const runs = await eventually(
      async () => {
        const list: { workflowId: string; runId: string; taskQueue: string; status: string }[] = [];
        for await (const w of client.workflow.list({ query: `StartTime >= '${since.toISOString()}'` })) {
          if (w.taskQueue.startsWith(prefix))
            list.push({ workflowId: w.workflowId, runId: w.runId, taskQueue: w.taskQueue, status: w.status.name });
        }
        const ours = (e: string) => list.filter((w) => w.workflowId.startsWith(e) && w.status === 'COMPLETED').length;
        const found = expected.every((e) => ours(e) >= (e === 'notify-password-changed-' ? 2 : 1));
        return found && list;
      },
      30_000,
      'the invitation and recovery workflows, completed',
    );

    const texts = new Map<string, string>();
    for (const run of runs) {
      const text = await decodedHistoryText(client.workflow.getHandle(run.workflowId, run.runId));
      texts.set(run.workflowId, text);
      for (const secret of secrets) {
        if (text.includes(secret))
          throw new Error(
            `${run.workflowId}: its history contains ${secret === code ? 'the reset code' : secret.slice(0, 12)}…`,
          );
      }
    }
    // Decoded for real (a wrong key would leave ciphertext, in which nothing could be found): the
    // notify workflows name their user in clear.
    expect(texts.get(`notify-staff-welcome-${staff.userId}`)).toContain(staff.userId);
    expect([...texts].some(([id, text]) => id.startsWith('notify-password-reset-') && text.includes(u.userId))).toBe(
      true,
    );
  });

  it('documents every answer and one password policy, registration included', async () => {
    const doc = (await api('/openapi.json')).json;
    const op = (path: string) => doc.paths[path].post;
    const statuses = (path: string) => Object.keys(op(path).responses).map(Number);
    expect(statuses('/users/password/forgot')).toEqual(expect.arrayContaining([202, 400, 429]));
    expect(statuses('/users/password/reset')).toEqual(expect.arrayContaining([200, 400, 429]));
    expect(statuses('/api/v1/auth/password/change')).toEqual(expect.arrayContaining([200, 400, 401, 429]));
    const schemaOf = (path: string) => {
      const s = op(path).requestBody.content['application/json'].schema;
      return s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s;
    };
    const bounds = (path: string, field: string) => {
      const f = schemaOf(path).properties[field];
      return [f.minLength, f.maxLength];
    };
    const registration = bounds('/users/register', 'password');
    expect(registration).toEqual([8, 128]);
    expect(bounds('/users/password/reset', 'newPassword')).toEqual(registration);
    expect(bounds('/api/v1/auth/password/change', 'newPassword')).toEqual(registration);
    expect(bounds('/api/v1/auth/password/set', 'password')).toEqual(registration);
    expect(bounds('/api/v1/auth/users', 'password')).toEqual(registration);
  });
});
