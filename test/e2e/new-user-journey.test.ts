import { randomInt } from 'node:crypto';

import { notifyWorkflowId } from '../../domain/contracts/notify.contract';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { decodedHistoryText } from '../helpers/history-text';
import { request } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';

interface Mail {
  to: string;
  subject?: string;
  body: string;
}

/**
 * Issue 11, as a new user meets it against `npm start`, with nothing but HTTP calls: sign up an
 * organization with a date of birth, confirm with the code from the sandbox outbox, verify a BVN,
 * and add a staff member who sets their own password from the welcome email.
 */
describe('a new user, start to finish over HTTP', () => {
  let t: NotificationsStack;
  beforeAll(async () => {
    t = await startNotificationsStack({ workers: [onboardingWorkerSpec, kycWorkerSpec, notificationsWorkerSpec] });
  });
  afterAll(() => t?.close());

  const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${t.stack.url}${path}`, init);
  // The sandbox outbox over HTTP, as a person reads it.
  const inbox = async (to: string): Promise<Mail[]> =>
    (await request(`${t.sandbox.url}/outbox?to=${encodeURIComponent(to)}`)).json.messages;
  const mail = (to: string, subject: string) =>
    eventually(async () => (await inbox(to)).find((m) => m.subject === subject), 30_000, `"${subject}" to ${to}`);
  const login = async (email: string, password: string) => {
    const res = await api('/api/v1/auth/login', { method: 'POST', json: { email, password } });
    expect(res.status).toBe(200);
    return { authorization: `Bearer ${res.json.data.accessToken}` };
  };

  let admin: { email: string; userId: string; tenantId: string; headers: Record<string, string> };
  const password = 'SecurePass123!';

  it('validates the date of birth at registration', async () => {
    const reg = (dateOfBirth: string) =>
      api('/users/register', {
        method: 'POST',
        json: { email: `x.${randomInt(1e9)}@example.com`, password, firstName: 'A', lastName: 'B', dateOfBirth },
      });
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    const tenYearsOld = `${new Date().getUTCFullYear() - 10}-01-01`;
    for (const bad of ['1991-02-30', '12/03/1991', nextYear, tenYearsOld, '1800-01-01']) {
      const res = await reg(bad);
      expect([bad, res.status, res.json.error.code]).toEqual([bad, 400, 'VALIDATION_ERROR']);
    }
  });

  it('signs up an organization with a date of birth and verifies a BVN with the "full match" number', async () => {
    const email = `ada.${randomInt(1e9)}@example.com`;
    const registered = await api('/users/register', {
      method: 'POST',
      json: {
        email,
        password,
        firstName: 'Ada',
        lastName: 'Obi',
        country: 'NG',
        dateOfBirth: '1991-03-12',
        org_name: `Ada Microfinance ${randomInt(1e9)}`,
      },
    });
    expect(registered.status).toBe(201);
    const { userId, tenantId } = registered.json.data;
    const code = /\b(\d{6})\b/.exec((await mail(email, 'Your verification code')).body)![1];
    expect((await api('/users/confirm', { method: 'POST', json: { email, code } })).status).toBe(200);
    // Issue 22: the code is in the email only, neither in the onboarding history nor in the history
    // of the notify workflow that sent it (decoded as the codec endpoint would).
    const sent = await t.stack.deps.models.Notification.findOne({ userId, event: 'verification_code' }).lean();
    const client = t.stack.deps.temporal;
    for (const workflowId of [onboardingWorkflowId(userId), notifyWorkflowId(String(sent!._id))]) {
      const text = await decodedHistoryText(client.workflow.getHandle(workflowId));
      expect(text).toContain(userId);
      expect([workflowId, new RegExp(`(?<!\\d)${code}(?!\\d)`).test(text)]).toEqual([workflowId, false]);
    }
    const headers = await login(email, password);
    admin = { email, userId, tenantId, headers };

    // The profile shows the date to its owner, and it is sealed at rest.
    const profile = await api(`/users/${userId}`, { headers });
    expect(profile.json.data).toMatchObject({
      dateOfBirth: '1991-03-12',
      dateOfBirthVerified: false,
      staffRole: 'BANK_ADMIN',
    });
    const raw = await t.stack.deps.db.collection('users').findOne({ _id: userId as never });
    expect(JSON.stringify(raw)).not.toContain('1991-03-12');
    expect(raw!.dateOfBirthSealed).toMatch(/^v1\./);

    // The organization's administrator asks for their own BVN; the sandbox's full match verifies.
    const created = await api('/users/notifications/verification-request', {
      method: 'POST',
      headers,
      json: { userId, types: ['bvn'] },
    });
    expect(created.status).toBe(202);
    const { requestId } = created.json.data;
    expect(
      (
        await api('/users/verification-requests/submit', {
          method: 'POST',
          headers,
          json: { requestId, bvn: '22200000001' },
        })
      ).status,
    ).toBe(202);
    const done = await eventually(
      async () => {
        const r = (await api(`/users/verification-requests/${requestId}`, { headers })).json.data;
        return ['verified', 'failed'].includes(r.status) && r;
      },
      30_000,
      'a final status',
    );
    expect(done.status).toBe('verified');
    await mail(email, 'Your BVN is verified');

    // Verified: the date of birth is locked (the same value is still accepted), and every change was audited.
    expect((await api(`/users/${userId}`, { headers })).json.data.dateOfBirthVerified).toBe(true);
    const change = await api(`/users/${userId}`, { method: 'PUT', headers, json: { dateOfBirth: '1991-03-13' } });
    expect([change.status, change.json.error.code]).toEqual([409, 'DATE_OF_BIRTH_LOCKED']);
    expect(
      (await api(`/users/${userId}`, { method: 'PUT', headers, json: { dateOfBirth: '1991-03-12' } })).status,
    ).toBe(200);
    const audits = await t.stack.deps.models.AuditEvent.find({
      subject: userId,
      action: 'user.date_of_birth_changed',
    }).lean();
    expect(audits.map((a) => [a.reason, a.to])).toEqual([['registration', { provided: true }]]);
    expect(JSON.stringify(audits)).not.toContain('1991');
  });

  it('welcomes a new staff member by email with a set-password link (no password), which works once', async () => {
    const email = `jane.${randomInt(1e9)}@example.com`;
    const created = await api('/api/v1/auth/users', {
      method: 'POST',
      headers: admin.headers,
      json: { email, firstName: 'Jane', lastName: 'Smith', role: 'COMPLIANCE_OFFICER' },
    });
    expect(created.status).toBe(201);
    const welcome = await mail(
      email,
      `Welcome to ${(await t.stack.deps.models.Organization.findById(admin.tenantId).lean())!.name}`,
    );
    const link = new URL(/(http\S+set-password\?token=\S+)/.exec(welcome.body)![1]);
    expect(link.origin).toBe(t.stack.url);
    const token = link.searchParams.get('token')!;
    expect((await fetch(link)).status).toBe(200); // the page the link opens

    // No password yet: nothing signs in. Then the link sets one, once, even when raced.
    expect(
      (await api('/api/v1/auth/login', { method: 'POST', json: { email, password: 'anything-at-all' } })).status,
    ).toBe(401);
    const chosen = 'Jane-chose-this-1';
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        api('/api/v1/auth/password/set', { method: 'POST', json: { token, password: chosen } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.error.code === 'TOKEN_USED')).toBe(true);
    const jane = await login(email, chosen);
    expect((await api('/api/v1/auth/me', { headers: jane })).json.data).toMatchObject({
      email,
      role: 'COMPLIANCE_OFFICER',
    });
    // Staff of the tenant see that a date of birth is on file, not the date.
    expect((await api(`/users/${admin.userId}`, { headers: jane })).json.data.dateOfBirth).toBe('****-**-**');
    expect(
      (
        await api('/api/v1/auth/password/set', {
          method: 'POST',
          json: { token: 'pst_not-a-real-token-at-all', password: chosen },
        })
      ).json.error.code,
    ).toBe('INVALID_TOKEN');

    // Seed 002's form with a password: the email still never contains it.
    const other = `sam.${randomInt(1e9)}@example.com`;
    expect(
      (
        await api('/api/v1/auth/users', {
          method: 'POST',
          headers: admin.headers,
          json: { email: other, password: 'Admin-Chose-It-9', firstName: 'Sam', lastName: 'Eze', role: 'ANALYST' },
        })
      ).status,
    ).toBe(201);
    const second = await eventually(async () => (await inbox(other))[0], 30_000, 'welcome');
    expect(second.body).toContain('set-password?token=');
    expect(second.body).not.toContain('Admin-Chose-It-9');
  });
});
