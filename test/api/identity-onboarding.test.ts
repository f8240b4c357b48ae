import { randomUUID } from 'node:crypto';

import { onboardingStateQuery, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { userWithToken } from '../helpers/auth';
import { bearer, login } from '../helpers/identity';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// Identity meets onboarding: retail users sign in through the one login; the audited admin status
// endpoint tells the user's running onboarding workflow.
describe('login and admin status changes for self-registered users', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack();
  });
  afterAll(() => t?.close());

  it('a registered user gets tokens only after confirming the email', async () => {
    const email = `${randomUUID()}@example.test`;
    const password = 'correct horse battery';
    const reg = await t.api('/users/register', {
      method: 'POST',
      json: { email, password, firstName: 'Ada', lastName: 'Obi', country: 'NG' },
    });
    expect(reg.status).toBe(201);
    const early = await login(t.stack.url, email, password);
    expect(early.status).toBe(403);
    expect(early.json.error.code).toBe('EMAIL_NOT_CONFIRMED');
    const conf = await t.api('/users/confirm', {
      method: 'POST',
      json: { email, code: await t.codeFor(reg.json.data.userId) },
    });
    expect(conf.status).toBe(200);
    // Confirmation sets emailVerifiedAt (the status stays not_verified until KYC).
    await t.waitFor(
      () => t.stack.deps.models.User.findById(reg.json.data.userId).lean(),
      (u) => Boolean(u!.emailVerifiedAt),
    );
    const ok = await login(t.stack.url, email, password);
    expect(ok.status).toBe(200);
    const me = await t.api('/api/v1/auth/me', { headers: bearer(ok.json.data.accessToken) });
    expect(me.json.data).toMatchObject({ id: reg.json.data.userId, role: null, isActive: true, tenant: null });
    // The onboarding router's /users/:userId/... routes are not captured by the profile router.
    expect(
      (await t.api(`/users/${reg.json.data.userId}/onboarding`, { headers: bearer(ok.json.data.accessToken) })).status,
    ).toBe(200);
  });

  it('deactivating through PUT /users/:id/status closes the running onboarding workflow', async () => {
    const { userId, headers } = await t.confirmedUser();
    const admin = await userWithToken(t.stack.deps.models, t.stack.deps.config, {
      userType: 'internal-admin',
      role: 'admin',
    });
    const res = await t.api(`/users/${userId}/status`, {
      method: 'PUT',
      headers: admin.headers,
      json: { status: 'inactive', reason: 'fraud review' },
    });
    expect(res.status).toBe(200);
    expect((await t.api(`/users/${userId}`, { headers })).status).toBe(401);
    const handle = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId));
    const state = await t.waitFor(
      () => handle.query(onboardingStateQuery),
      (s) => s.outcome !== null,
    );
    expect(state.outcome).toBe('closed_by_admin');
    expect((await t.stack.deps.models.User.findById(userId).lean())!.status).toBe('inactive');
  });
});
