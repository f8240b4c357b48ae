import { randomUUID } from 'node:crypto';

import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { createApp } from '../../services/api/app';
import { userWithToken } from '../helpers/auth';
import { decodedHistoryText } from '../helpers/history-text';
import { listen, request } from '../helpers/http';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// Registration, confirmation and the guarded onboarding endpoints over HTTP.
describe('onboarding API', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack();
  });
  afterAll(() => t?.close());

  const body = (over: Record<string, unknown> = {}) => ({
    email: `${randomUUID()}@Example.test`,
    password: 'correct horse battery',
    firstName: 'Ada',
    lastName: 'Obi',
    country: 'ng',
    ...over,
  });
  const register = (json: unknown) => t.api('/users/register', { method: 'POST', json });

  it('retried and concurrent copies of one request make one user and one workflow', async () => {
    const req = body();
    const answers = await Promise.all([register(req), register(req), register(req)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const { userId } = answers[0].json.data;
    expect(new Set(answers.map((a) => a.json.data.userId))).toEqual(new Set([userId]));
    const handle = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId));
    const runId = (await handle.describe()).runId;
    // Later retry (e.g. after a client timeout): same answer, same run.
    expect((await register(req)).json.data).toEqual({ userId, tenantId: null, status: 'not_verified' });
    expect((await handle.describe()).runId).toBe(runId);
    expect(await t.stack.deps.models.User.countDocuments({ email: req.email.toLowerCase() })).toBe(1);
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    expect(user).toMatchObject({ status: 'not_verified', country: 'NG' });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // No PII in the workflow id or search attributes.
    const desc = await handle.describe();
    expect(JSON.stringify([desc.workflowId, desc.searchAttributes])).not.toContain(
      req.email.toLowerCase().split('@')[0],
    );
    expect(t.notifications.filter((n) => n.userId === userId && n.event === 'verification_code')).toHaveLength(1);
  });

  it('keeps the password hash, email, phone, names and the confirmation code out of the workflow history', async () => {
    const req = body({ phone: '+2348012345678', firstName: 'Zebulon', lastName: 'Quarrington' });
    const { userId } = (await register(req)).json.data;
    const code = await t.codeFor(userId);
    const ok = await t.api('/users/confirm', { method: 'POST', json: { email: req.email.toLowerCase(), code } });
    expect(ok.status).toBe(200);
    // The code is computed by the notifications worker when it sends the email (issue 22): the
    // request, which is the notify workflow's input, carries none (test/e2e/new-user-journey.test.ts
    // reads the real notify workflow's history).
    const requests = t.notificationRequests.filter((n) => n.userId === userId);
    expect(requests.map((n) => [n.event, n.data])).toEqual([['verification_code', { expiresInHours: '24' }]]);
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    expect(user).toMatchObject({ phone: '+2348012345678', firstName: 'Zebulon' });
    const text = await decodedHistoryText(t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)));
    expect(text).toContain(userId); // the scan does read the decrypted payloads
    expect(text).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
    for (const secret of [
      user.passwordHash!,
      '$argon2id$',
      req.email.toLowerCase(),
      '2348012345678',
      'Zebulon',
      'Quarrington',
      req.password,
    ]) {
      expect(text).not.toContain(secret);
    }
    // The pending registration that carried them to the first activity is gone.
    expect(await t.stack.deps.models.PendingRegistration.countDocuments({})).toBe(0);
  });

  it('answers 409 for a confirmed email and refuses org_id (no joining without an invitation)', async () => {
    const req = body();
    const { userId } = (await register(req)).json.data;
    expect(
      (
        await t.api('/users/confirm', {
          method: 'POST',
          json: { email: req.email.toLowerCase(), code: await t.codeFor(userId) },
        })
      ).status,
    ).toBe(200);
    const dup = await register({ ...req, password: 'another password 123' });
    expect([dup.status, dup.json.error.code]).toEqual([409, 'EMAIL_TAKEN']);
    const { user } = await userWithToken(t.stack.deps.models, t.stack.deps.config);
    expect((await register(body({ email: user.email }))).json.error.code).toBe('EMAIL_TAKEN');

    // Unknown and existing organizations get the same answer: ids do not leak, nobody joins uninvited.
    const existingOrg = await t.stack.deps.models.Organization.create({
      name: 'Open Bank',
      slug: `open-bank-${randomUUID().slice(0, 8)}`,
    });
    for (const orgId of [randomUUID(), existingOrg._id]) {
      const orgReq = body({ org_id: orgId });
      const refused = await register(orgReq);
      expect([refused.status, refused.json.error.code]).toEqual([403, 'ORG_INVITATION_REQUIRED']);
      expect(await t.stack.deps.models.User.countDocuments({ email: orgReq.email.toLowerCase() })).toBe(0);
    }
  });

  it('creates the organization from org_name and makes the user its BANK_ADMIN, who manages staff', async () => {
    const name = `Acme Microfinance ${randomUUID().slice(0, 8)}`;
    const req = body({ org_name: name });
    const res = await register(req);
    expect(res.status).toBe(201);
    const userId = res.json.data.userId;
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    const org = (await t.stack.deps.models.Organization.findById(user.tenantId).lean())!;
    expect(org.name).toBe(name);
    expect(res.json.data.tenantId).toBe(org._id);
    expect(user).toMatchObject({ userType: 'org-admin', role: 'org-staff', staffRole: 'BANK_ADMIN' });
    // A retry of the same registration is the same user in the same organization.
    expect((await register(req)).json.data).toEqual(res.json.data);

    // Confirm, sign in (over HTTP), and do what the role says: add a staff member (seed 002).
    expect(
      (await t.api('/users/confirm', { method: 'POST', json: { email: req.email, code: await t.codeFor(userId) } }))
        .status,
    ).toBe(200);
    const login = await t.api('/api/v1/auth/login', {
      method: 'POST',
      json: { email: req.email, password: req.password },
    });
    expect(login.status).toBe(200);
    const admin = { authorization: `Bearer ${login.json.data.accessToken}` };
    const staff = await t.api('/api/v1/auth/users', {
      method: 'POST',
      headers: admin,
      json: { email: `${randomUUID()}@example.test`, firstName: 'Jane', lastName: 'Smith', role: 'ANALYST' },
    });
    expect([staff.status, staff.json.data?.role]).toEqual([201, 'ANALYST']);
    const listed = await t.api('/api/v1/auth/users', { headers: admin });
    expect(listed.json.data.items.map((u: { role: string }) => u.role).sort()).toEqual(['ANALYST', 'BANK_ADMIN']);
  });

  it("an organization name becomes someone's for good only when its registrant confirms: an abandoned claim lapses to the next registrant", async () => {
    const name = `Squatted Bank ${randomUUID().slice(0, 8)}`;
    const squatter = await register(body({ org_name: name }));
    expect(squatter.status).toBe(201);
    const orgId = squatter.json.data.tenantId;
    // While the squatter's registration may still be confirmed, the name is taken.
    expect((await register(body({ org_name: name }))).json.error.code).toBe('ORG_NAME_TAKEN');
    // Past the confirmation deadline (72 h), unconfirmed: the next registrant gets the organization.
    const later = await listen(createApp({ ...t.stack.deps, now: () => new Date(Date.now() + 73 * 3_600_000) }));
    try {
      const ownerReq = body({ org_name: name });
      const owner = await request(`${later.url}/users/register`, { method: 'POST', json: ownerReq });
      expect([owner.status, owner.json.data?.tenantId]).toEqual([201, orgId]);
      expect((await t.stack.deps.models.Organization.findById(orgId).lean())!.createdBy).toBe(owner.json.data.userId);
      expect(await t.stack.deps.models.User.findById(squatter.json.data.userId).lean()).toMatchObject({
        tenantId: null,
        staffRole: null,
        role: 'retail',
      });
      expect(
        (
          await t.api('/users/confirm', {
            method: 'POST',
            json: { email: ownerReq.email.toLowerCase(), code: await t.codeFor(owner.json.data.userId) },
          })
        ).status,
      ).toBe(200);
      // Confirmed: the name is the owner's for good, however late someone asks.
      expect(
        (await request(`${later.url}/users/register`, { method: 'POST', json: body({ org_name: name }) })).json.error
          .code,
      ).toBe('ORG_NAME_TAKEN');
    } finally {
      await later.close();
    }
  });

  it('answers 409 ORG_NAME_TAKEN for a name that exists, however it was written or created', async () => {
    const name = `Kuda ${randomUUID().slice(0, 8)}`;
    expect((await register(body({ org_name: name }))).status).toBe(201);
    for (const again of [name, `  ${name.toUpperCase()} `, name.replace(' ', '-')]) {
      const taken = await register(body({ org_name: again }));
      expect([taken.status, taken.json.error.code]).toEqual([409, 'ORG_NAME_TAKEN']);
    }
    // A tenant made by the ops CLI holds its slug too.
    const slug = `first-bank-${randomUUID().slice(0, 8)}`;
    await t.stack.deps.models.Organization.create({ name: 'First Bank', slug });
    expect((await register(body({ org_name: slug.replace(/-/g, ' ') }))).json.error.code).toBe('ORG_NAME_TAKEN');
    expect((await register(body({ org_name: '--' }))).json.error.code).toBe('ORG_NAME_INVALID');
  });

  it('20 concurrent registrations naming one new organization: exactly one creates it', async () => {
    const name = `Race Bank ${randomUUID().slice(0, 8)}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => register(body({ org_name: name }))));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.json.error.code)).toEqual(
      Array(19).fill('ORG_NAME_TAKEN'),
    );
    const winner = answers.find((a) => a.status === 201)!.json.data;
    const members = await t.stack.deps.models.User.find({ tenantId: winner.tenantId }).lean();
    expect(members.map((m) => m._id)).toEqual([winner.userId]);
    expect(await t.stack.deps.models.Organization.countDocuments({ name })).toBe(1);
  });

  it('validates the body', async () => {
    expect((await register({ email: 'x@example.test' })).json.error.code).toBe('VALIDATION_ERROR');
    expect((await register(body({ org_name: 'A Org', org_id: randomUUID() }))).status).toBe(400);
  });

  it('confirms with the code, counting wrong attempts and limiting resends', async () => {
    const req = body();
    const { userId } = (await register(req)).json.data;
    const email = req.email.toLowerCase();
    const confirm = (code: string) => t.api('/users/confirm', { method: 'POST', json: { email, code } });
    const wrong = await confirm('000000');
    expect([wrong.status, wrong.json.error]).toEqual([
      400,
      { code: 'INVALID_CODE', message: 'The code is not correct', details: { remainingAttempts: 4 } },
    ]);
    expect(
      (await t.api('/users/confirm', { method: 'POST', json: { email: 'nobody@example.test', code: '123456' } })).json
        .error.code,
    ).toBe('INVALID_CODE');
    const resend = await t.api('/users/confirm/resend', { method: 'POST', json: { email } });
    expect([resend.status, resend.json.error.code, Number(resend.headers.get('retry-after')) > 0]).toEqual([
      429,
      'RESEND_LIMIT',
      true,
    ]);
    const ok = await confirm(await t.codeFor(userId));
    expect(ok.status).toBe(200);
    expect(ok.json.data.userId).toBe(userId);
    expect((await confirm(await t.codeFor(userId))).json.error.code).toBe('ALREADY_CONFIRMED');
    expect((await t.stack.deps.models.User.findById(userId).lean())!.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it('guards the KYC endpoints and the onboarding read', async () => {
    const req = body();
    const { userId } = (await register(req)).json.data;
    const own = await t.tokenFor(userId);
    expect((await t.api(`/users/${userId}/kyc-session`, { method: 'POST' })).status).toBe(401);
    const early = await t.api(`/users/${userId}/kyc-session`, { method: 'POST', headers: own });
    expect([early.status, early.json.error.code]).toEqual([409, 'WRONG_ONBOARDING_STEP']);
    const other = await userWithToken(t.stack.deps.models, t.stack.deps.config);
    expect((await t.api(`/users/${userId}/kyc-session`, { method: 'POST', headers: other.headers })).status).toBe(404);
    expect((await t.api(`/users/${userId}/onboarding`, { headers: other.headers })).status).toBe(404);
    // Seed 000 calls bridge-kyc without an Idempotency-Key: that is accepted (here: too early a step).
    expect((await t.api(`/users/${userId}/bridge-kyc`, { method: 'POST', headers: own })).json.error.code).toBe(
      'WRONG_ONBOARDING_STEP',
    );
    expect(
      (await t.api(`/users/${userId}/bridge-kyc`, { method: 'POST', headers: { ...own, 'idempotency-key': 'short' } }))
        .json.error.code,
    ).toBe('IDEMPOTENCY_KEY_INVALID');

    const mine = await t.api(`/users/${userId}/onboarding`, { headers: own });
    expect(mine.json.data).toMatchObject({
      userId,
      step: 'awaiting_confirmation',
      email: { attemptsLeft: 5 },
      veriff: { sessionId: null },
    });
    expect(mine.json.data.nextReminderAt).not.toBeNull();
    const admin = await userWithToken(t.stack.deps.models, t.stack.deps.config, {
      userType: 'internal-admin',
      role: 'super-admin',
    });
    expect((await t.api(`/users/${userId}/onboarding`, { headers: admin.headers })).status).toBe(200);
  });
});
