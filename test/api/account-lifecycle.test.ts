import { randomUUID } from 'node:crypto';

import { notifyWorkflowId } from '../../domain/contracts/notify.contract';
import { onboardingStateQuery, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { userWithToken } from '../helpers/auth';
import { bearer, createTenantRecord, login, staffFields, userWithPassword } from '../helpers/identity';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

/**
 * Issue 22: one person, one account. Re-registration can neither reopen a rejected account nor
 * leave a password that someone who never read the mailbox chose; confirmation is limited and
 * does not tell accounts apart. Everything through the public API and the sandbox.
 */
describe('account lifecycle: registering again, confirming', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack({ config: { RATE_LIMIT_CONFIRM_PER_IP: '40', RATE_LIMIT_CONFIRM_PER_EMAIL: '12' } });
  });
  afterAll(() => t?.close());

  let nextIp = 1;
  const freshIp = () => `198.19.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;
  const post = (path: string, json: unknown, ip = freshIp()) =>
    t.api(path, { method: 'POST', json, headers: { 'x-forwarded-for': ip } });
  const registration = (email: string, password: string, over: Record<string, unknown> = {}) => ({
    email,
    password,
    firstName: 'Ada',
    lastName: 'Obi',
    country: 'NG',
    ...over,
  });
  const notices = (userId: string, event: string) =>
    t.notifications.filter((n) => n.userId === userId && n.event === event);
  /** The owner's "someone tried to register" notices: one notification id per account per UTC day. */
  const attemptNotices = async (userId: string) => {
    const day = new Date().toISOString().slice(0, 10);
    const handle = t.stack.deps.temporal.workflow.getHandle(notifyWorkflowId(`registration-attempt.${userId}.${day}`));
    const runs = [];
    for await (const w of t.stack.deps.temporal.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` }))
      runs.push(w.runId);
    return runs.length;
  };

  it('a rejected account stays rejected: registering again answers 409 ACCOUNT_REJECTED and starts no KYC; only an audited staff decision reopens it', async () => {
    const email = `${randomUUID()}@example.test`;
    const first = await post('/users/register', registration(email, 'FirstPass123!'));
    expect(first.status).toBe(201);
    const userId: string = first.json.data.userId;
    expect((await post('/users/confirm', { email, code: await t.codeFor(userId) })).status).toBe(200);
    const signedIn = await login(t.stack.url, email, 'FirstPass123!');
    const session = await t.api(`/users/${userId}/kyc-session`, {
      method: 'POST',
      headers: bearer(signedIn.json.data.accessToken),
    });
    expect(session.status).toBe(201);
    await t.ctl(`/veriff/sessions/${session.json.data.sessionId}/decision`, { status: 'declined' });
    await t.waitFor(
      () => t.stack.deps.models.User.findById(userId, { status: 1 }).lean(),
      (u) => u?.status === 'rejected',
    );
    const handle = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId));
    await t.waitFor(
      () => handle.describe(),
      (d) => d.status.name !== 'RUNNING',
    );
    const rejectedRun = (await handle.describe()).runId;
    const codesBefore = notices(userId, 'verification_code').length;

    const again = await post('/users/register', registration(email, 'SecondPass123!'));
    expect([again.status, again.json.error?.code]).toEqual([409, 'ACCOUNT_REJECTED']);
    // No new code, no way back into KYC, neither password changed anything.
    expect(notices(userId, 'verification_code')).toHaveLength(codesBefore);
    expect((await login(t.stack.url, email, 'SecondPass123!')).status).toBe(401);
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    expect(user.status).toBe('rejected');
    // The refused run ended at once; the rejected run's outcome is what the record shows.
    const latest = await handle.describe();
    expect(latest.status.name).not.toBe('RUNNING');
    expect(
      latest.runId === rejectedRun || (await handle.query(onboardingStateQuery)).outcome === 'registration_failed',
    ).toBe(true);
    // The owner hears that someone tried (one notice a day, however many tries).
    await post('/users/register', registration(email, 'ThirdPass123!'));
    await t.waitFor(
      () => attemptNotices(userId),
      (n) => n === 1,
    );

    // Only an audited staff decision reopens it: rejected → not_verified starts a new onboarding at
    // the identity-verification step (no new confirmation), and the person can try again.
    const admin = await userWithToken(t.stack.deps.models, t.stack.deps.config, {
      userType: 'internal-admin',
      role: 'admin',
    });
    const reopen = await t.api(`/users/${userId}/status`, {
      method: 'PUT',
      headers: admin.headers,
      json: { status: 'not_verified', reason: 'appeal upheld: new documents' },
    });
    expect([reopen.status, reopen.json.data?.status]).toEqual([200, 'not_verified']);
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: userId, action: 'user.status_changed' })
      .sort({ at: 1 })
      .lean();
    expect(audit.at(-1)).toMatchObject({ actor: admin.user._id, reason: 'appeal upheld: new documents' });
    await t.waitFor(
      () => handle.query(onboardingStateQuery).catch(() => null),
      (st) => st?.step === 'awaiting_kyc_session',
    );
    const again2 = await login(t.stack.url, email, 'FirstPass123!');
    const retry = await t.api(`/users/${userId}/kyc-session`, {
      method: 'POST',
      headers: bearer(again2.json.data.accessToken),
    });
    expect(retry.status).toBe(201);
    expect(retry.json.data.sessionId).not.toBe(session.json.data.sessionId);
    // Registering still never reopens or resets anything.
    expect((await post('/users/register', registration(email, 'FourthPass123!'))).json.error.code).toBe('EMAIL_TAKEN');
  }, 120_000);

  it('a second registration of an unconfirmed address replaces the first wholly: only its password opens the account', async () => {
    const email = `${randomUUID()}@example.test`;
    const first = await post(
      '/users/register',
      registration(email, 'FirstPass123!', { firstName: 'Mallory', phone: '+2348000000001' }),
    );
    expect(first.status).toBe(201);
    const userId: string = first.json.data.userId;
    const firstCode = await t.codeFor(userId);

    const second = await post('/users/register', registration(email, 'SecondPass123!', { firstName: 'Ada' }));
    expect([second.status, second.json.data]).toEqual([201, { userId, tenantId: null, status: 'not_verified' }]);
    const secondCode = await t.codeFor(userId, 1);
    // The first registrant's code stopped working the moment the address was registered again.
    if (firstCode !== secondCode) {
      const stale = await post('/users/confirm', { email, code: firstCode });
      expect([stale.status, stale.json.error.code]).toEqual([400, 'INVALID_CODE']);
    }
    expect((await post('/users/confirm', { email, code: secondCode })).status).toBe(200);
    expect((await login(t.stack.url, email, 'FirstPass123!')).status).toBe(401);
    expect((await login(t.stack.url, email, 'SecondPass123!')).status).toBe(200);
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    expect(user).toMatchObject({ firstName: 'Ada', phone: null });
    // The replacement is on the audit trail.
    expect(
      await t.stack.deps.models.AuditEvent.countDocuments({ subject: userId, action: 'user.registration_replaced' }),
    ).toBe(1);

    // Once confirmed, the address is taken: 409, the owner is told, and nothing changes.
    const third = await post('/users/register', registration(email, 'ThirdPass123!'));
    expect([third.status, third.json.error.code]).toEqual([409, 'EMAIL_TAKEN']);
    expect((await login(t.stack.url, email, 'ThirdPass123!')).status).toBe(401);
    await t.waitFor(
      () => attemptNotices(userId),
      (n) => n === 1,
    );
  }, 90_000);

  it('two different registrations racing for one unconfirmed address: one record, the last code belongs to the password on it', async () => {
    const email = `${randomUUID()}@example.test`;
    const first = await post('/users/register', registration(email, 'FirstPass123!'));
    const userId: string = first.json.data.userId;
    await t.codeFor(userId);
    const racers = await Promise.all(
      ['RaceOne123!', 'RaceTwo123!', 'RaceThree123!'].map((p) => post('/users/register', registration(email, p))),
    );
    expect(racers.map((r) => r.status)).toEqual([201, 201, 201]);
    const code = await t.codeFor(userId, 3);
    expect((await post('/users/confirm', { email, code })).status).toBe(200);
    const opens = [];
    for (const p of ['FirstPass123!', 'RaceOne123!', 'RaceTwo123!', 'RaceThree123!'])
      opens.push((await login(t.stack.url, email, p)).status);
    // Exactly one password opens it, and never the first (unconfirmed, replaced) one.
    expect(opens.filter((s) => s === 200)).toHaveLength(1);
    expect(opens[0]).toBe(401);
  }, 90_000);

  it('confirmation answers alike for an unknown address, staff and a partner-style user; ALREADY_CONFIRMED only for its own confirmed registration', async () => {
    const tenant = await createTenantRecord(t.stack.deps.models);
    const staff = await userWithPassword(t.stack.deps.models, t.stack.deps.config, staffFields(tenant._id, 'ANALYST'));
    const unknown = await post('/users/confirm', { email: `${randomUUID()}@example.test`, code: '123456' });
    const ofStaff = await post('/users/confirm', { email: staff.user.email, code: '123456' });
    expect([unknown.status, unknown.json.error]).toEqual([
      400,
      { code: 'INVALID_CODE', message: expect.any(String), details: { remainingAttempts: null } },
    ]);
    expect([ofStaff.status, ofStaff.json.error]).toEqual([unknown.status, unknown.json.error]);
    // Resend: the same 202 whoever the address belongs to.
    expect((await post('/users/confirm/resend', { email: staff.user.email })).status).toBe(202);

    const { email } = await t.confirmedUser();
    const done = await post('/users/confirm', { email, code: '123456' });
    expect([done.status, done.json.error.code]).toEqual([409, 'ALREADY_CONFIRMED']);
  }, 60_000);

  it('retail invitations: a bank admin makes a code, customers join the bank as retail members with it; revoked, used-up, foreign codes answer one 403', async () => {
    const bankOf = async () => {
      const tenant = await createTenantRecord(t.stack.deps.models);
      const admin = await userWithPassword(
        t.stack.deps.models,
        t.stack.deps.config,
        staffFields(tenant._id, 'BANK_ADMIN'),
      );
      return {
        tenantId: tenant._id as string,
        headers: bearer((await login(t.stack.url, admin.email)).json.data.accessToken),
      };
    };
    const bank = await bankOf();
    const other = await bankOf();
    const made = await t.api('/api/v1/auth/invitations', {
      method: 'POST',
      headers: bank.headers,
      json: { maxUses: 2, expiresInHours: 24, label: 'branch 12' },
    });
    expect(made.status).toBe(201);
    const { code, id } = made.json.data;
    expect(code).toMatch(/^inv_[0-9a-f]{32}\./);
    // Stored as a digest only; listed without the code; another bank cannot see or revoke it.
    expect(JSON.stringify(await t.stack.deps.models.OrgInvitation.findById(id).lean())).not.toContain(
      code.split('.')[1],
    );
    const listed = await t.api('/api/v1/auth/invitations', { headers: bank.headers });
    expect(listed.json.data).toEqual([expect.objectContaining({ id, maxUses: 2, remaining: 2, label: 'branch 12' })]);
    expect(JSON.stringify(listed.json)).not.toContain(code);
    expect((await t.api(`/api/v1/auth/invitations/${id}`, { method: 'DELETE', headers: other.headers })).status).toBe(
      404,
    );

    const join = (over: Record<string, unknown>) =>
      post('/users/register', registration(`${randomUUID()}@example.test`, 'JoinPass123!', over));
    const refused = [
      await join({ org_id: bank.tenantId }),
      await join({ org_id: bank.tenantId, invitationCode: `${code}x` }),
      await join({ org_id: other.tenantId, invitationCode: code }),
      await join({ org_id: randomUUID(), invitationCode: code }),
    ];
    expect(refused.map((r) => [r.status, r.json.error.code])).toEqual(Array(4).fill([403, 'ORG_INVITATION_REQUIRED']));

    // 10 registrations racing for 2 uses: exactly 2 join, as retail members of the bank.
    const racers = await Promise.all(
      Array.from({ length: 10 }, () => join({ org_id: bank.tenantId, invitationCode: code })),
    );
    const joined = racers.filter((r) => r.status === 201);
    expect(joined).toHaveLength(2);
    expect(racers.filter((r) => r.status === 403)).toHaveLength(8);
    for (const r of joined) {
      expect(r.json.data.tenantId).toBe(bank.tenantId);
      const member = (await t.stack.deps.models.User.findById(r.json.data.userId).lean())!;
      expect(member).toMatchObject({ tenantId: bank.tenantId, role: 'retail', userType: 'user', staffRole: null });
    }
    expect((await t.api('/api/v1/auth/invitations', { headers: bank.headers })).json.data[0].remaining).toBe(0);

    // Revoked: refused even with uses left.
    const second = (await t.api('/api/v1/auth/invitations', { method: 'POST', headers: bank.headers, json: {} })).json
      .data;
    const revoked = await t.api(`/api/v1/auth/invitations/${second.id}`, { method: 'DELETE', headers: bank.headers });
    expect(revoked.json.data.revokedAt).not.toBeNull();
    expect((await join({ org_id: bank.tenantId, invitationCode: second.code })).status).toBe(403);
    expect(
      await t.stack.deps.models.AuditEvent.countDocuments({
        tenantId: bank.tenantId,
        action: { $in: ['invitation.created', 'invitation.revoked'] },
      }),
    ).toBe(3);
  }, 90_000);

  it('limits confirmations per client IP (a burst of 300 wrong codes) and per address', async () => {
    const ip = freshIp();
    const burst = await Promise.all(
      Array.from({ length: 300 }, () =>
        post('/users/confirm', { email: `${randomUUID()}@example.test`, code: '000000' }, ip),
      ),
    );
    const limited = burst.filter((r) => r.status === 429 && r.json.error.code === 'RATE_LIMITED');
    expect(burst.length - limited.length).toBe(40);
    expect(limited.every((r) => Number(r.headers.get('retry-after')) > 0)).toBe(true);

    const email = `${randomUUID()}@example.test`;
    const perEmail = await Promise.all(
      Array.from({ length: 50 }, () => post('/users/confirm', { email, code: '000000' })),
    );
    expect(perEmail.filter((r) => r.status !== 429)).toHaveLength(12);
  }, 60_000);
});
