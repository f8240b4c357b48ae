import { randomInt, randomUUID } from 'node:crypto';

import { caseSweepStateQuery, caseSweepWorkflowId } from '../../domain/contracts/cases.contract';
import { onboardingStateQuery, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { SA } from '../../domain/search-attributes';
import { sweepCasesNow } from '../../services/common/case-sweep';
import { casesApi, type ListedCase, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import type { OnboardingStack } from '../helpers/onboarding-stack';

type Stack = OnboardingStack;

/**
 * The onboarding's side of cases (docs/operations.md): a late Veriff decision that disagrees with
 * the user's status, made to happen through the signed webhook after a real onboarding ended,
 * found by the sweep, listed and acted on over the API; the status path carries the decision out.
 */
describe('onboarding cases: late Veriff decisions', () => {
  let t: Stack;
  const hooks = kycWebhooks(() => t);
  const { staff, act, listedCase } = casesApi(() => t);
  beforeAll(async () => {
    t = await startCasesStack();
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  /** An onboarding of a tenant's user, ended active through Veriff and Bridge (signed webhooks). */
  async function activeTenantUser() {
    const u = await t.confirmedUser({ org_name: `Late Org ${randomUUID().slice(0, 8)}` });
    const sessionId = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data
      .sessionId as string;
    for (const p of [
      hooks.veriffEvent(sessionId, u.userId, 'submitted'),
      hooks.veriffDecision(sessionId, u.userId, 'approved'),
    ]) {
      expect((await hooks.postVeriff(p)).status).toBe(200);
    }
    await t.waitFor(
      () => t.onboarding(u.userId, u.headers),
      (o) => o.step === 'awaiting_bridge_link',
      30_000,
    );
    const link = await t.api(`/users/${u.userId}/bridge-kyc`, {
      method: 'POST',
      headers: { ...u.headers, 'idempotency-key': `key-${u.userId}` },
    });
    const kycLinkId = link.json.data.kycLinkId as string;
    const ev = hooks.bridgeEvent(kycLinkId, Date.now() - 60_000, 'approved', 'approved');
    expect((await hooks.postBridge(ev)).status).toBe(200);
    await t.waitFor(
      () => t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(u.userId)).query(onboardingStateQuery),
      (o) => o.outcome === 'active',
      30_000,
    );
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    return { ...u, sessionId, tenantId };
  }

  /** Veriff re-reviews the approved session and declines it, after the onboarding ended. */
  const lateDecline = (u: { sessionId: string; userId: string }) => {
    const p = hooks.veriffDecision(u.sessionId, u.userId, 'declined');
    return hooks.postVeriff({
      ...p,
      verification: { ...p.verification, attemptId: 'att-2', code: 9102, reason: 'Late re-review' },
    });
  };

  it('a late decline of an active user opens a case; the officer rejects through the status path; audited; other tenants refused', async () => {
    const u = await activeTenantUser();
    const officer = await staff(u.tenantId, 'COMPLIANCE_OFFICER');
    const bankAdmin = await staff(u.tenantId, 'BANK_ADMIN');
    const otherOrg = await t.stack.deps.models.Organization.create({ name: 'Other', slug: `other-${randomInt(1e9)}` });
    const stranger = await staff(otherOrg._id, 'COMPLIANCE_OFFICER');

    expect((await lateDecline(u)).status).toBe(200);
    const caseId = `kyc_late_decision:${u.userId}`;
    const listed = await listedCase(officer.headers, caseId, 'kyc_late_decision');
    expect(listed).toMatchObject({
      kind: 'kyc_late_decision',
      tenantId: u.tenantId,
      ownerUserId: u.userId,
      why: { step: 'after_onboarding:active', lastProviderEvent: 'veriff:declined', detail: '9102 Late re-review' },
      actions: ['approve', 'reject', 'dismiss'],
    });

    // Other tenants neither see nor act; a bank admin may not decide on identity.
    const theirs = await t.api('/cases?kind=kyc_late_decision', { headers: stranger.headers });
    expect(theirs.json.data.items.map((c: ListedCase) => c.id)).not.toContain(caseId);
    expect((await act(stranger.headers, caseId, { action: 'reject', reason: 'x' })).json.error.code).toBe(
      'FORBIDDEN_TENANT',
    );
    expect((await act(bankAdmin.headers, caseId, { action: 'reject', reason: 'x' })).json.error.code).toBe(
      'INSUFFICIENT_ROLE',
    );
    expect((await act(officer.headers, caseId, { action: 'reject' })).json.error.code).toBe('REASON_REQUIRED');

    const key = `key-${randomUUID()}`;
    const rejected = await act(
      officer.headers,
      caseId,
      { action: 'reject', reason: 'Veriff declined on re-review' },
      key,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.json.data).toMatchObject({
      action: 'reject',
      outcome: { userStatus: 'rejected' },
      case: { id: caseId, open: false },
      replayed: false,
    });
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('rejected');
    // Repeated: one effect, the first answer; after it, the case has moved on.
    const again = await act(officer.headers, caseId, { action: 'reject', reason: 'Veriff declined on re-review' }, key);
    expect([again.status, again.json.data.replayed]).toEqual([200, true]);
    const late = await act(officer.headers, caseId, { action: 'approve', reason: 'changed my mind' });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'CASE_MOVED_ON', details: { case: { id: caseId, open: false } } });

    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: officer.user._id,
      action: 'case.reject',
      tenantId: u.tenantId,
      reason: 'Veriff declined on re-review',
    });
    expect(audit[0].requestId).toBe(rejected.headers.get('x-request-id'));
  }, 240_000);

  it('dismiss keeps the status: the case stays closed while the decision is unchanged', async () => {
    const u = await activeTenantUser();
    const officer = await staff(u.tenantId, 'COMPLIANCE_OFFICER');
    expect((await lateDecline(u)).status).toBe(200);
    const caseId = `kyc_late_decision:${u.userId}`;
    await listedCase(officer.headers, caseId, 'kyc_late_decision');

    expect((await act(officer.headers, caseId, { action: 'dismiss' })).json.error.code).toBe('REASON_REQUIRED');
    const dismissed = await act(officer.headers, caseId, { action: 'dismiss', reason: 'Re-review was a test run' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.json.data.case).toMatchObject({ open: false, resolution: 'dismissed' });
    // Two more sweep passes (the decision still disagrees) leave it closed; the user is untouched.
    const sweep = t.stack.deps.temporal.workflow.getHandle(caseSweepWorkflowId(t.stack.deps.config.TASK_QUEUE_PREFIX));
    const passes = (await sweep.query(caseSweepStateQuery)).passes;
    await sweepCasesNow(t.stack.deps.temporal, t.stack.deps.config);
    await t.waitFor(
      () => sweep.query(caseSweepStateQuery),
      (st) => st.passes >= passes + 2,
      30_000,
    );
    const shown = await t.api(`/cases/${encodeURIComponent(caseId)}`, { headers: officer.headers });
    expect(shown.json.data).toMatchObject({ open: false, resolution: 'dismissed' });
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('active');
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit.map((a) => a.action)).toEqual(['case.dismiss']);
  }, 240_000);

  it('extend_deadline on a resubmission case: the onboarding wait ends later, audited; refused when moved on', async () => {
    const u = await t.confirmedUser({ org_name: `Extend Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const bankAdmin = await staff(tenantId, 'BANK_ADMIN');
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    expect(
      (await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'resubmission_requested' })).status,
    ).toBe(200);
    const caseId = `kyc_resubmission:${u.userId}`;
    const listed = await listedCase(bankAdmin.headers, caseId, 'kyc_resubmission');
    expect(listed).toMatchObject({
      why: { step: 'awaiting_kyc_submission' },
      actions: ['reject', 'extend_deadline', 'move_to_manual_review'],
    });

    expect((await act(bankAdmin.headers, caseId, { action: 'extend_deadline', hours: 48 })).json.error.code).toBe(
      'REASON_REQUIRED',
    );
    expect(
      (await act(bankAdmin.headers, caseId, { action: 'extend_deadline', reason: 'x', hours: 10_000 })).json.error.code,
    ).toBe('VALIDATION_ERROR');
    const extended = await act(bankAdmin.headers, caseId, {
      action: 'extend_deadline',
      reason: 'The user is travelling',
      hours: 48,
    });
    expect(extended.status).toBe(200);
    const handle = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(u.userId));
    const enteredAt = (await handle.describe()).typedSearchAttributes.get(SA.StepEnteredAt)!.getTime();
    const abandonMs = t.stack.deps.config.KYC_STEP_ABANDON_AFTER_HOURS * 3_600_000;
    expect(extended.json.data.outcome).toMatchObject({ step: 'awaiting_kyc_submission', extendedHours: 48 });
    // The run's answer: the wait now ends 48 h after its original end (the step entry + the policy's end).
    expect(
      Math.abs(Date.parse(extended.json.data.outcome.endsAt) - (enteredAt + abandonMs + 48 * 3_600_000)),
    ).toBeLessThan(5_000);
    expect(extended.json.data.case).toMatchObject({ id: caseId, open: true });
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: bankAdmin.user._id,
      action: 'case.extend_deadline',
      reason: 'The user is travelling',
      to: { step: 'awaiting_kyc_submission', extendedHours: 48 },
    });
    expect(audit[0].requestId).toBe(extended.headers.get('x-request-id'));

    // The user resubmits and Veriff approves: the onboarding moved on, the case with it.
    expect((await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'approved' })).status).toBe(200);
    await t.waitFor(
      () => t.onboarding(u.userId, u.headers),
      (o) => o.step === 'awaiting_bridge_link',
      30_000,
    );
    const moved = await act(bankAdmin.headers, caseId, { action: 'extend_deadline', reason: 'again', hours: 1 });
    expect(moved.status).toBe(409);
    expect(moved.json.error.code).toBe('CASE_MOVED_ON');
  }, 240_000);

  it('move_to_manual_review on a resubmission case: the run waits for a decision, a kyc_review case follows, approve activates it', async () => {
    const u = await t.confirmedUser({ org_name: `Review Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const officer = await staff(tenantId, 'COMPLIANCE_OFFICER');
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    expect(
      (await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'resubmission_requested' })).status,
    ).toBe(200);
    const caseId = `kyc_resubmission:${u.userId}`;
    await listedCase(officer.headers, caseId, 'kyc_resubmission');

    const moved = await act(officer.headers, caseId, {
      action: 'move_to_manual_review',
      reason: 'Photos are readable',
    });
    expect(moved.status).toBe(200);
    expect(moved.json.data).toMatchObject({
      outcome: { step: 'awaiting_kyc_decision', kycStatus: 'veriff:review' },
      case: { id: caseId, open: false },
    });
    expect((await t.onboarding(u.userId, u.headers)).step).toBe('awaiting_kyc_decision');
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['case.move_to_manual_review', officer.user._id, 'Photos are readable'],
    ]);

    // The review case the product already has: the officer approves, the onboarding goes on.
    const reviewId = `kyc_review:${u.userId}`;
    await listedCase(officer.headers, reviewId, 'kyc_review');
    const approved = await act(officer.headers, reviewId, { action: 'approve', reason: 'Checked by hand' });
    expect(approved.status).toBe(200);
    expect(approved.json.data.outcome).toMatchObject({ userStatus: 'active' });
  }, 240_000);
});
