import { randomInt } from 'node:crypto';

import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { userWithToken } from '../helpers/auth';
import { request } from '../helpers/http';
import { eventually, type NotificationsStack, startNotificationsStack } from '../helpers/notifications';

// Every worker for real, including notifications: what a person does against `npm start`, with
// the confirmation code read from the sandbox outbox rather than from a test double.
describe('the whole system, as a person uses it', () => {
  let t: NotificationsStack;
  beforeAll(async () => {
    t = await startNotificationsStack({ workers: [onboardingWorkerSpec, kycWorkerSpec, notificationsWorkerSpec] });
  });
  afterAll(() => t?.close());

  const api = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${t.stack.url}${path}`, init);
  const sandbox = (path: string, json: unknown = {}) => request(`${t.sandbox.url}${path}`, { method: 'POST', json });
  const inbox = (to: string) => t.outbox.list({ to });

  it('register → code from the outbox → confirm → login → Veriff → Bridge → active, with messages delivered', async () => {
    const email = `ada.${randomInt(1e9)}@example.com`;
    const phone = '+2348012345678';
    const password = 'SecurePass123!';
    const registered = await api('/users/register', {
      method: 'POST',
      json: { email, password, firstName: 'Ada', lastName: 'Obi', phone, country: 'NG' },
    });
    expect(registered.status).toBe(201);
    const { userId } = registered.json.data;

    const codeMail = await eventually(
      async () => inbox(email).find((m) => m.subject === 'Your verification code'),
      20_000,
      'verification email',
    );
    const code = /\b(\d{6})\b/.exec(codeMail.body)![1];
    expect((await api('/users/confirm', { method: 'POST', json: { email, code } })).status).toBe(200);

    const login = await api('/api/v1/auth/login', { method: 'POST', json: { email, password } });
    expect(login.status).toBe(200);
    expect(login.json.data.expiresIn).toBe(900);
    const headers = { authorization: `Bearer ${login.json.data.accessToken}` };

    const session = await api(`/users/${userId}/kyc-session`, { method: 'POST', headers });
    await sandbox(`/veriff/sessions/${session.json.data.sessionId}/decision`, { status: 'submitted' });
    await sandbox(`/veriff/sessions/${session.json.data.sessionId}/decision`, { status: 'approved' });
    await eventually(
      async () => (await api(`/users/${userId}/onboarding`, { headers })).json.data.step === 'awaiting_bridge_link',
      20_000,
      'veriff approval',
    );

    const link = await api(`/users/${userId}/bridge-kyc`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': `k-${userId}` },
    });
    await sandbox(`/bridge/kyc_links/${link.json.data.kycLinkId}/tos`);
    await sandbox(`/bridge/kyc_links/${link.json.data.kycLinkId}/kyc`, { status: 'approved' });
    await eventually(
      async () => (await api(`/users/${userId}`, { headers })).json.data.status === 'active',
      20_000,
      'activation',
    );

    const activatedMail = await eventually(
      async () => inbox(email).find((m) => m.subject === 'Your account is active'),
      20_000,
      'activation email',
    );
    expect(activatedMail.channel).toBe('email');
    await eventually(
      async () => inbox(phone).find((m) => m.channel === 'sms' && /active/.test(m.body)),
      20_000,
      'activation sms',
    );
    // Exactly one of each: retries and replays never duplicate a message.
    expect(inbox(email).filter((m) => m.subject === 'Your verification code')).toHaveLength(1);
    expect(inbox(email).filter((m) => m.subject === 'Your account is active')).toHaveLength(1);

    // The run asks for the activation messages, then completes in a later workflow task; the
    // notifications worker delivers them meanwhile, so a delivered message does not mean the run ended.
    const described = await eventually(
      async () => {
        const d = await t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).describe();
        return d.status.name !== 'RUNNING' && d;
      },
      20_000,
      'the onboarding run closed',
    );
    expect(described.status.name).toBe('COMPLETED');
  });

  it('a compliance officer asks for a BVN: the user is told, submits it and is verified', async () => {
    const org = await t.stack.deps.models.Organization.create({ name: 'Bank', slug: `bank-${randomInt(1e9)}` });
    const officer = await userWithToken(t.stack.deps.models, t.stack.deps.config, {
      tenantId: org._id,
      userType: 'staff',
      role: 'org-staff',
      staffRole: 'COMPLIANCE_OFFICER',
    });
    const user = await userWithToken(t.stack.deps.models, t.stack.deps.config, {
      tenantId: org._id,
      firstName: 'Ada',
      lastName: 'Obi',
    });
    // The user gives their date of birth on the profile, as the "check your date of birth" message says.
    expect(
      (
        await api(`/users/${user.user._id}`, {
          method: 'PUT',
          headers: user.headers,
          json: { dateOfBirth: '1991-03-12' },
        })
      ).status,
    ).toBe(200);
    const created = await api('/users/notifications/verification-request', {
      method: 'POST',
      headers: officer.headers,
      json: { userId: user.user._id, types: ['bvn'] },
    });
    expect(created.status).toBe(202);
    const asked = await eventually(
      async () => inbox(user.user.email).find((m) => m.subject === 'Please provide your BVN'),
      20_000,
      'request email',
    );
    expect(asked.body).toContain('BVN');

    const { requestId } = created.json.data;
    expect(
      (
        await api('/users/verification-requests/submit', {
          method: 'POST',
          headers: user.headers,
          json: { requestId, bvn: '22200000001' },
        })
      ).status,
    ).toBe(202);
    await eventually(
      async () =>
        (await api(`/users/verification-requests/${requestId}`, { headers: user.headers })).json.data.status ===
        'verified',
      20_000,
      'verified',
    );
    await eventually(
      async () => inbox(user.user.email).find((m) => m.subject === 'Your BVN is verified'),
      20_000,
      'verified email',
    );
  });
});
