import { randomUUID } from 'node:crypto';

import { casesApi, openCase, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import type { OnboardingStack } from '../helpers/onboarding-stack';

type Stack = OnboardingStack;

/**
 * Four eyes (issue 24, docs/operations.md): a tenant that requires it has a reversal of a rejection
 * confirmed by a second compliance officer. Made to happen through public surfaces: the officer
 * rejects a Veriff review, Veriff later approves the session (a signed webhook after the onboarding
 * ended), and approving that late decision reverses the rejection.
 */
describe('cases: four eyes on reversals', () => {
  let t: Stack;
  const hooks = kycWebhooks(() => t);
  const { staff, act } = casesApi(() => t);
  beforeAll(async () => {
    t = await startCasesStack();
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  it('the first officer’s approve waits, the same officer cannot confirm it, a second officer’s approve carries it out', async () => {
    const u = await t.confirmedUser({ org_name: `Four Eyes Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const [first, second, bankAdmin] = await Promise.all([
      staff(tenantId, 'COMPLIANCE_OFFICER'),
      staff(tenantId, 'COMPLIANCE_OFFICER'),
      staff(tenantId, 'BANK_ADMIN'),
    ]);

    // The tenant's admin turns four eyes on; an officer may not.
    expect((await t.api('/cases/settings', { headers: first.headers })).json.data).toEqual({
      tenantId,
      fourEyesReversals: false,
    });
    const byOfficer = await t.api('/cases/settings', {
      method: 'PUT',
      headers: first.headers,
      json: { fourEyesReversals: true },
    });
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.json.error.code).toBe('INSUFFICIENT_ROLE');
    const set = await t.api('/cases/settings', {
      method: 'PUT',
      headers: bankAdmin.headers,
      json: { fourEyesReversals: true },
    });
    expect(set.status).toBe(200);
    expect(set.json.data).toEqual({ tenantId, fourEyesReversals: true });

    // Veriff asks for a review; the first officer rejects (not a reversal: one officer is enough).
    const sessionId = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data
      .sessionId as string;
    expect((await t.ctl(`/veriff/sessions/${sessionId}/decision`, { status: 'review' })).status).toBe(200);
    await openCase(t, first.headers, `kyc_review:${u.userId}`);
    const rejected = await act(first.headers, `kyc_review:${u.userId}`, { action: 'reject', reason: 'Blurry ID' });
    expect(rejected.status).toBe(200);
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('rejected');

    // Veriff approves the session after all: a late decision against a rejected person.
    const p = hooks.veriffDecision(sessionId, u.userId, 'approved');
    expect((await hooks.postVeriff({ ...p, verification: { ...p.verification, attemptId: 'att-2' } })).status).toBe(
      200,
    );
    const caseId = `kyc_late_decision:${u.userId}`;
    await openCase(t, first.headers, caseId);

    const asked = await act(first.headers, caseId, { action: 'approve', reason: 'Veriff approved on re-review' });
    expect(asked.status).toBe(200);
    expect(asked.json.data).toMatchObject({
      awaitingSecondOfficer: true,
      outcome: { awaitingSecondOfficer: true },
      case: { open: true, pendingApproval: { requestedBy: first.user._id, reason: 'Veriff approved on re-review' } },
    });
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('rejected');

    const again = await act(first.headers, caseId, { action: 'approve', reason: 'Really' });
    expect(again.status).toBe(403);
    expect(again.json.error.code).toBe('SECOND_OFFICER_REQUIRED');

    const confirmed = await act(second.headers, caseId, { action: 'approve', reason: 'Checked the re-review' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.data).toMatchObject({
      outcome: { userStatus: 'active' },
      case: { open: false, resolution: 'action:approve' },
    });
    expect(confirmed.json.data.awaitingSecondOfficer).toBeUndefined();
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('active');

    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).sort({ at: 1 }).lean();
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['case.approve_requested', first.user._id],
      ['case.approve', second.user._id],
    ]);
    expect(audit[1].to).toMatchObject({ userStatus: 'active', requestedBy: first.user._id });
  }, 180_000);
});
