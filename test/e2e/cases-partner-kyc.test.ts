import { randomUUID } from 'node:crypto';

import { caseSweepStateQuery, caseSweepWorkflowId } from '../../domain/contracts/cases.contract';
import { partnerKycWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import { sweepCasesNow } from '../../services/common/case-sweep';
import { casesApi, type Headers, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import type { OnboardingStack } from '../helpers/onboarding-stack';
import { imagesFor, partnerTenant } from '../helpers/partner-kyc';

const BVN = '67da909b739fc481aa525c45';
const PASSPORT = '67da93c0dfd3a00f3380b85b';
const person = { first_name: 'John', last_name: 'Doe', dob: '2000-01-01T00:00:00.000Z' };

/**
 * Partner KYC cases end to end (docs/operations.md): checks made through the partner API and the
 * sandbox provider's outcomes (BVN …03 = no match; a selfie with SANDBOX-PENDING = a document job
 * that never completes), listed through GET /cases, acted on through POST /cases/{id}/actions, and
 * the check's run carrying the action out, read back through the partner API's status.
 */
describe('cases: partner KYC checks rejected or pending past a limit', () => {
  let t: OnboardingStack;
  const { staff, act, listedCase } = casesApi(() => t);
  let a: Awaited<ReturnType<typeof partnerTenant>>;
  let b: Awaited<ReturnType<typeof partnerTenant>>;

  beforeAll(async () => {
    t = await startCasesStack({ config: { CASE_PARTNER_KYC_PENDING_MINUTES: '1' } });
    a = await partnerTenant(t.stack.deps, 'Partner Cases A');
    b = await partnerTenant(t.stack.deps, 'Partner Cases B');
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  const post = (p: string, json: unknown) => t.api(p, { method: 'POST', headers: { 'x-client-id': a.key }, json });
  const status = (email: string) =>
    post('/api/user/kyc/status', { email, countryIsoCode: 'NG' }).then((r) => r.json as Record<string, unknown>);
  const waitStatus = (email: string, check: (s: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    t.waitFor(() => status(email), check, timeoutMs);

  /** A new NG user of tenant A with one submitted check; answers their id and case ids. */
  async function submitted(documentId: string, userFields: Record<string, unknown>) {
    const email = `${randomUUID()}@example.com`;
    await status(email);
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const r = await post('/api/user/kyc/submit', { email, documentId, userFields });
    expect([r.status, r.json]).toEqual([200, { success: true }]);
    return { email, userId, workflowId: partnerKycWorkflowId(userId, documentId) };
  }
  const rejectedCheck = async () => {
    const u = await submitted(BVN, { ...person, id_number: '22200000003' });
    await waitStatus(u.email, (s) => s.kycStatus === 'rejected');
    return { ...u, caseId: `partner_kyc_rejected:${u.userId}` };
  };
  const auditOf = (subject: string) =>
    t.stack.deps.models.AuditEvent.find({ subject }, { action: 1, actor: 1, reason: 1, requestId: 1, to: 1 })
      .sort({ at: 1 })
      .lean();
  /** Two full sweep passes from now (the second began after this call). */
  async function sweptTwice() {
    const sweep = t.stack.deps.temporal.workflow.getHandle(caseSweepWorkflowId(t.stack.deps.config.TASK_QUEUE_PREFIX));
    const from = (await sweep.query(caseSweepStateQuery)).passes;
    await sweepCasesNow(t.stack.deps.temporal, t.stack.deps.config);
    await t.waitFor(
      () => sweep.query(caseSweepStateQuery),
      (st) => st.passes >= from + 2,
      60_000,
    );
  }
  const trail = async (headers: Headers, caseId: string) =>
    (await t.api(`/cases/${encodeURIComponent(caseId)}`, { headers })).json.data.trail as Record<string, unknown>[];

  it('partner_kyc_rejected: listed with why and its run; retry re-runs the provider step; cross-tenant refused; approve is a reversal under four eyes', async () => {
    const [officer, second, bankAdmin, stranger] = await Promise.all([
      staff(a.tenantId, 'COMPLIANCE_OFFICER'),
      staff(a.tenantId, 'COMPLIANCE_OFFICER'),
      staff(a.tenantId, 'BANK_ADMIN'),
      staff(b.tenantId, 'COMPLIANCE_OFFICER'),
    ]);
    const u = await rejectedCheck();
    const listed = await listedCase(officer.headers, u.caseId, 'partner_kyc_rejected');
    expect(listed).toMatchObject({
      kind: 'partner_kyc_rejected',
      subjectType: 'user',
      subjectId: u.userId,
      tenantId: a.tenantId,
      ownerUserId: u.userId,
      actions: ['approve', 'reject', 'retry'],
      why: { step: 'rejected', lastProviderEvent: 'smile-id:1012 No Match', attempts: 1 },
    });
    expect(String((listed.why as Record<string, unknown>).detail)).toContain(`document ${BVN}, passed tier none`);
    expect(listed.temporalUrl).toContain(encodeURIComponent(u.workflowId));

    // Another tenant neither sees nor acts on it.
    const theirs = await t.api('/cases?kind=partner_kyc_rejected&limit=100', { headers: stranger.headers });
    expect(theirs.json.data.items.map((c: { id: string }) => c.id)).not.toContain(u.caseId);
    const cross = await act(stranger.headers, u.caseId, { action: 'approve', reason: 'not mine' });
    expect([cross.status, cross.json.error.code]).toEqual([403, 'FORBIDDEN_TENANT']);
    expect((await act(officer.headers, u.caseId, { action: 'cancel', reason: 'x' })).json.error.code).toBe(
      'ACTION_NOT_ALLOWED',
    );

    // retry (a bank admin may): the provider step runs again; the sandbox answers no match again.
    const retried = await act(bankAdmin.headers, u.caseId, { action: 'retry', reason: 'Registry was flaky' });
    expect(retried.status).toBe(200);
    expect(retried.json.data).toMatchObject({
      outcome: { kycStatus: 'pending', documentId: BVN },
      case: { open: false, resolution: 'action:retry' },
    });
    await waitStatus(u.email, (s) => s.kycStatus === 'rejected');
    const again = await listedCase(officer.headers, u.caseId, 'partner_kyc_rejected', {
      match: (c) => c.open && c.why.attempts === 2,
      sweepWhilePolling: true,
    });

    // Four eyes: approving a rejected check overrides the provider, a reversal.
    const set = await t.api('/cases/settings', {
      method: 'PUT',
      headers: bankAdmin.headers,
      json: { fourEyesReversals: true },
    });
    expect(set.status).toBe(200);
    const asked = await act(officer.headers, u.caseId, { action: 'approve', reason: 'Name order differs in registry' });
    expect(asked.json.data).toMatchObject({ awaitingSecondOfficer: true, case: { open: true } });
    expect((await status(u.email)).kycStatus).toBe('rejected');
    const same = await act(officer.headers, u.caseId, { action: 'approve', reason: 'Really' });
    expect([same.status, same.json.error.code]).toEqual([403, 'SECOND_OFFICER_REQUIRED']);

    const key = `approve-${randomUUID()}`;
    const body = { action: 'approve', reason: 'Checked the registry record by phone' };
    const approved = await act(second.headers, u.caseId, body, key);
    expect(approved.status).toBe(200);
    expect(approved.json.data).toMatchObject({
      outcome: { kycStatus: 'approved', documentId: BVN },
      replayed: false,
      case: { open: false, resolution: 'action:approve' },
    });
    // The run recorded the override: the partner reads it approved, the tier passed.
    expect(await status(u.email)).toMatchObject({
      kycStatus: 'approved',
      kycStatusDescription: 'Manually Approved',
      passedKycType: 'basic',
    });
    await t.waitFor(
      () => t.notifications.filter((n) => n.userId === u.userId).map((n) => n.event),
      (ev) => ev.includes('kyc_approved'),
    );
    const replay = await act(second.headers, u.caseId, body, key);
    expect([replay.status, replay.json.data.replayed]).toEqual([200, true]);
    const late = await act(officer.headers, u.caseId, { action: 'reject', reason: 'changed my mind' });
    expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);

    expect((await trail(officer.headers, u.caseId)).map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['case.retry', bankAdmin.user._id],
        ['case.approve_requested', officer.user._id],
        ['case.approve', second.user._id],
      ]),
    );
    const userAudit = await auditOf(u.userId);
    expect(userAudit.find((e) => e.action === 'partner_kyc.manually_approved')).toMatchObject({
      actor: second.user._id,
      reason: 'Checked the registry record by phone',
      to: { documentId: BVN, review: 'approved' },
    });
    expect(again.version).toBeGreaterThan(listed.version);
    await t.api('/cases/settings', { method: 'PUT', headers: bankAdmin.headers, json: { fourEyesReversals: false } });
  }, 240_000);

  it('partner_kyc_rejected: reject confirms the rejection with a reason and the case stays closed until a new check', async () => {
    const officer = await staff(a.tenantId, 'COMPLIANCE_OFFICER');
    const u = await rejectedCheck();
    await listedCase(officer.headers, u.caseId, 'partner_kyc_rejected');
    expect((await act(officer.headers, u.caseId, { action: 'reject' })).json.error.code).toBe('REASON_REQUIRED');
    const rejected = await act(officer.headers, u.caseId, { action: 'reject', reason: 'Different person' });
    expect(rejected.status).toBe(200);
    expect(rejected.json.data).toMatchObject({
      outcome: { kycStatus: 'rejected' },
      case: { open: false, resolution: 'action:reject' },
    });
    expect(await status(u.email)).toMatchObject({ kycStatus: 'rejected', kycStatusDescription: 'No Match' });
    // Later sweeps keep it closed: the rejection was looked at.
    await sweptTwice();
    const shown = await t.api(`/cases/${encodeURIComponent(u.caseId)}`, { headers: officer.headers });
    expect(shown.json.data).toMatchObject({ open: false, resolution: 'action:reject' });
    const audit = await auditOf(u.userId);
    expect(audit.find((e) => e.action === 'partner_kyc.rejection_confirmed')).toMatchObject({
      actor: officer.user._id,
      reason: 'Different person',
    });
    expect((await auditOf(u.caseId)).map((e) => e.action)).toEqual(['case.reject']);

    // A new check of the document that is rejected again is a case again.
    const r = await post('/api/user/kyc/submit', {
      email: u.email,
      documentId: BVN,
      userFields: { ...person, id_number: '22200000004' },
    });
    expect(r.status).toBe(200);
    await waitStatus(u.email, (s) => s.kycStatus === 'rejected' && s.kycStatusDescription === 'Not Found');
    await listedCase(officer.headers, u.caseId, 'partner_kyc_rejected', {
      match: (c) => c.open && c.why.attempts === 2,
      sweepWhilePolling: true,
    });
  }, 180_000);

  it('partner_kyc_pending: a document job pending past the limit is a case; retry starts the provider step over, move_to_manual_review opens a review a person decides, cancel ends the check', async () => {
    const [officer, bankAdmin] = await Promise.all([
      staff(a.tenantId, 'COMPLIANCE_OFFICER'),
      staff(a.tenantId, 'BANK_ADMIN'),
    ]);
    const fields = { ...person, images: imagesFor('SANDBOX-PENDING') };
    const [toRetry, toReview, toCancel] = await Promise.all([0, 1, 2].map(() => submitted(PASSPORT, fields)));
    for (const u of [toRetry, toReview, toCancel]) await waitStatus(u.email, (s) => s.kycStatus === 'pending');
    const pendingId = (u: { userId: string }) => `partner_kyc_pending:${u.userId}`;

    // Pending for longer than CASE_PARTNER_KYC_PENDING_MINUTES (1 here): a case.
    const listed = await listedCase(officer.headers, pendingId(toRetry), 'partner_kyc_pending', {
      timeoutMs: 150_000,
      sweepWhilePolling: true,
    });
    expect(listed).toMatchObject({
      kind: 'partner_kyc_pending',
      tenantId: a.tenantId,
      ownerUserId: toRetry.userId,
      actions: ['retry', 'move_to_manual_review', 'cancel'],
      why: { step: 'pending', attempts: 1, lastProviderEvent: null },
    });
    expect(String((listed.why as Record<string, unknown>).detail)).toContain(
      `document ${PASSPORT}, passed tier none: Verification in progress`,
    );
    expect(listed.temporalUrl).toContain(encodeURIComponent(toRetry.workflowId));

    // retry: the run drops its wait for the provider and begins the check again now.
    const retried = await act(bankAdmin.headers, pendingId(toRetry), { action: 'retry' });
    expect(retried.status).toBe(200);
    expect(retried.json.data).toMatchObject({
      outcome: { kycStatus: 'pending', documentId: PASSPORT },
      case: { open: false, resolution: 'action:retry' },
    });
    const history = await t.stack.deps.temporal.workflow.getHandle(toRetry.workflowId).fetchHistory();
    const uploads = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'submitDocumentJob',
    );
    expect(uploads).toHaveLength(2);
    expect((await status(toRetry.email)).kycStatus).toBe('pending');

    // move_to_manual_review: the pending case closes, a review case opens; a person decides it.
    await listedCase(officer.headers, pendingId(toReview), 'partner_kyc_pending');
    expect((await act(officer.headers, pendingId(toReview), { action: 'move_to_manual_review' })).json.error.code).toBe(
      'REASON_REQUIRED',
    );
    const moved = await act(officer.headers, pendingId(toReview), {
      action: 'move_to_manual_review',
      reason: 'Provider review queue is stuck',
    });
    expect(moved.status).toBe(200);
    expect(moved.json.data).toMatchObject({
      outcome: { kycStatus: 'pending' },
      case: { open: false, resolution: 'action:move_to_manual_review' },
    });
    expect(await status(toReview.email)).toMatchObject({ kycStatus: 'pending', kycStatusDescription: 'Manual review' });
    const reviewId = `partner_kyc_review:${toReview.userId}`;
    const review = await listedCase(officer.headers, reviewId, 'partner_kyc_review');
    expect(review).toMatchObject({ actions: ['approve', 'reject', 'cancel'], why: { step: 'manual_review' } });
    expect((await act(bankAdmin.headers, reviewId, { action: 'approve', reason: 'x' })).json.error.code).toBe(
      'INSUFFICIENT_ROLE',
    );
    const approved = await act(officer.headers, reviewId, { action: 'approve', reason: 'Passport checked by hand' });
    expect(approved.status).toBe(200);
    expect(approved.json.data).toMatchObject({
      outcome: { kycStatus: 'approved' },
      case: { open: false, resolution: 'action:approve' },
    });
    expect(await status(toReview.email)).toMatchObject({
      kycStatus: 'approved',
      kycStatusDescription: 'Manually Approved',
      passedKycType: 'advanced',
    });
    const late = await act(officer.headers, pendingId(toReview), { action: 'cancel', reason: 'too late' });
    expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);

    // cancel: the check ends rejected as Cancelled, and that is not a rejected case (a person ended it).
    await listedCase(officer.headers, pendingId(toCancel), 'partner_kyc_pending');
    const cancelled = await act(bankAdmin.headers, pendingId(toCancel), {
      action: 'cancel',
      reason: 'Partner withdrew the user',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.data).toMatchObject({
      outcome: { kycStatus: 'rejected' },
      case: { open: false, resolution: 'action:cancel' },
    });
    expect(await status(toCancel.email)).toMatchObject({ kycStatus: 'rejected', kycStatusDescription: 'Cancelled' });
    await sweptTwice();
    const rejectedCase = await t.api(`/cases/${encodeURIComponent(`partner_kyc_rejected:${toCancel.userId}`)}`, {
      headers: officer.headers,
    });
    expect(rejectedCase.status).toBe(404);

    // Each action audited: the case's event (who, why, request id) and the run's own record.
    const caseAudit = await auditOf(pendingId(toCancel));
    expect(caseAudit).toEqual([
      expect.objectContaining({
        action: 'case.cancel',
        actor: bankAdmin.user._id,
        reason: 'Partner withdrew the user',
        requestId: expect.any(String),
      }),
    ]);
    expect((await auditOf(toReview.userId)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['partner_kyc.manual_review', 'partner_kyc.manually_approved', 'partner_kyc.approved']),
    );
    expect((await auditOf(toCancel.userId)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['partner_kyc.cancelled', 'partner_kyc.rejected']),
    );
  }, 300_000);
});
