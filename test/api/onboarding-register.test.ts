import { randomUUID } from 'node:crypto';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { userWithToken } from '../helpers/auth';
import { startOnboardingStack, type OnboardingStack } from '../helpers/onboarding-stack';
import { decodedHistoryText } from '../helpers/history-text';

// Registration, confirmation and the guarded onboarding endpoints over HTTP.
describe('onboarding API', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack();
  });
  afterAll(() => t?.close());

  const body = (over: Record<string, unknown> = {}) => ({
    email: `${randomUUID()}@Example.test`, password: 'correct horse battery', firstName: 'Ada', lastName: 'Obi', country: 'ng', ...over,
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
    expect(JSON.stringify([desc.workflowId, desc.searchAttributes])).not.toContain(req.email.toLowerCase().split('@')[0]);
    expect(t.notifications.filter((n) => n.userId === userId && n.event === 'verification_code')).toHaveLength(1);
  });

  it('keeps the password hash, email, phone and names out of the workflow history', async () => {
    const req = body({ phone: '+2348012345678', firstName: 'Zebulon', lastName: 'Quarrington' });
    const { userId } = (await register(req)).json.data;
    const ok = await t.api('/users/confirm', { method: 'POST', json: { email: req.email.toLowerCase(), code: await t.codeFor(userId) } });
    expect(ok.status).toBe(200);
    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    expect(user).toMatchObject({ phone: '+2348012345678', firstName: 'Zebulon' });
    const text = await decodedHistoryText(t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)));
    expect(text).toContain(userId); // the scan does read the decrypted payloads
    for (const secret of [user.passwordHash!, '$argon2id$', req.email.toLowerCase(), '2348012345678', 'Zebulon', 'Quarrington', req.password]) {
      expect(text).not.toContain(secret);
    }
    // The pending registration that carried them to the first activity is gone.
    expect(await t.stack.deps.models.PendingRegistration.countDocuments({})).toBe(0);
  });

  it('answers 409 for a registered email and 404 for an unknown organization', async () => {
    const req = body();
    await register(req);
    const dup = await register({ ...req, password: 'another password 123' });
    expect([dup.status, dup.json.error.code]).toEqual([409, 'EMAIL_TAKEN']);
    const { user } = await userWithToken(t.stack.deps.models, t.stack.deps.config);
    expect((await register(body({ email: user.email }))).json.error.code).toBe('EMAIL_TAKEN');

    const orgReq = body({ org_id: randomUUID() });
    const noOrg = await register(orgReq);
    expect([noOrg.status, noOrg.json.error.code]).toEqual([404, 'ORG_NOT_FOUND']);
    expect(await t.stack.deps.models.User.countDocuments({ email: orgReq.email.toLowerCase() })).toBe(0);
  });

  it('creates the organization from org_name and makes the user its admin', async () => {
    const res = await register(body({ org_name: 'Acme Microfinance' }));
    expect(res.status).toBe(201);
    const user = (await t.stack.deps.models.User.findById(res.json.data.userId).lean())!;
    const org = (await t.stack.deps.models.Organization.findById(user.tenantId).lean())!;
    expect(org.name).toBe('Acme Microfinance');
    expect(res.json.data.tenantId).toBe(org._id);
    expect(user).toMatchObject({ userType: 'org-admin', role: 'admin' });
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
    expect([wrong.status, wrong.json.error]).toEqual([400, { code: 'INVALID_CODE', message: 'The code is not correct', details: { remainingAttempts: 4 } }]);
    expect((await t.api('/users/confirm', { method: 'POST', json: { email: 'nobody@example.test', code: '123456' } })).json.error.code).toBe('INVALID_CODE');
    const resend = await t.api('/users/confirm/resend', { method: 'POST', json: { email } });
    expect([resend.status, resend.json.error.code, Number(resend.headers.get('retry-after')) > 0]).toEqual([429, 'RESEND_LIMIT', true]);
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
    expect((await t.api(`/users/${userId}/bridge-kyc`, { method: 'POST', headers: own })).json.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');

    const mine = await t.api(`/users/${userId}/onboarding`, { headers: own });
    expect(mine.json.data).toMatchObject({ userId, step: 'awaiting_confirmation', email: { attemptsLeft: 5 }, veriff: { sessionId: null } });
    expect(mine.json.data.nextReminderAt).not.toBeNull();
    const admin = await userWithToken(t.stack.deps.models, t.stack.deps.config, { userType: 'internal-admin', role: 'super-admin' });
    expect((await t.api(`/users/${userId}/onboarding`, { headers: admin.headers })).status).toBe(200);
  });
});
