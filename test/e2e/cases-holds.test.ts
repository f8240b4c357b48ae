import { randomUUID } from 'node:crypto';

import { transactionHoldWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import { casesApi, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import type { OnboardingStack } from '../helpers/onboarding-stack';
import { partnerTenant } from '../helpers/partner-kyc';

/**
 * transaction_hold_expiring end to end: a step-up hold made through the partner API is listed as a
 * case once its deadline is within CASE_HOLD_EXPIRING_HOURS (here: the whole 72 h hold, so at once),
 * and approve / reject release or decline it through the hold workflow's decideHold update.
 */
describe('cases: held transactions near their deadline', () => {
  let t: OnboardingStack;
  const { staff, act, listedCase } = casesApi(() => t);
  let a: Awaited<ReturnType<typeof partnerTenant>>;
  let b: Awaited<ReturnType<typeof partnerTenant>>;

  beforeAll(async () => {
    t = await startCasesStack({ config: { PARTNER_KYC_HOLD_HOURS: '72', CASE_HOLD_EXPIRING_HOURS: '72' } });
    a = await partnerTenant(t.stack.deps, 'Hold A');
    b = await partnerTenant(t.stack.deps, 'Hold B');
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  /** A new NG user of tenant A (passed tier none) and a 5 USD onramp, which needs basic: held. */
  async function heldTransaction() {
    const email = `${randomUUID()}@example.com`;
    const st = await t.api('/api/user/kyc/status', {
      method: 'POST',
      headers: { 'x-client-id': a.key },
      json: { email, countryIsoCode: 'NG' },
    });
    expect(st.status).toBe(200);
    const userId = (await t.stack.deps.models.User.findOne({ email }).lean())!._id as string;
    const transactionId = `tx-${randomUUID()}`;
    const rec = await t.api('/transactions', {
      method: 'POST',
      headers: { authorization: `Bearer ${a.serviceToken}` },
      json: {
        transactionId,
        userId,
        direction: 'onramp',
        amount: 5,
        currency: 'USD',
        createdAt: new Date().toISOString(),
      },
    });
    expect([rec.status, rec.json.data.status]).toEqual([201, 'held']);
    const txKey = `${a.tenantId}:${transactionId}`;
    return { userId, transactionId, txKey, caseId: `transaction_hold_expiring:${txKey}` };
  }
  const txStatus = async (transactionId: string) =>
    (
      await t.api('/api/user/transactions/status', {
        method: 'POST',
        headers: { 'x-client-id': a.key },
        json: { transactionId },
      })
    ).json.status;

  it('approve releases the held transaction now, through its hold workflow, audited; other tenants and roles are refused', async () => {
    const officer = await staff(a.tenantId, 'COMPLIANCE_OFFICER');
    const bankAdmin = await staff(a.tenantId, 'BANK_ADMIN');
    const stranger = await staff(b.tenantId, 'COMPLIANCE_OFFICER');
    const h = await heldTransaction();

    const listed = await listedCase(officer.headers, h.caseId, 'transaction_hold_expiring');
    expect(listed).toMatchObject({
      kind: 'transaction_hold_expiring',
      subjectType: 'transaction',
      subjectId: h.txKey,
      tenantId: a.tenantId,
      ownerUserId: h.userId,
      actions: ['approve', 'reject'],
      why: { step: 'held' },
    });
    expect(listed.temporalUrl).toContain(encodeURIComponent(transactionHoldWorkflowId(h.txKey)));
    expect(String((listed.why as Record<string, unknown>).detail)).toMatch(/needs tier basic; declined at /);

    // Another tenant neither sees nor acts on it; a bank admin may not decide it.
    const theirs = await t.api('/cases?kind=transaction_hold_expiring', { headers: stranger.headers });
    expect(theirs.json.data.items.map((c: { id: string }) => c.id)).not.toContain(h.caseId);
    const cross = await act(stranger.headers, h.caseId, { action: 'approve', reason: 'not mine' });
    expect([cross.status, cross.json.error.code]).toEqual([403, 'FORBIDDEN_TENANT']);
    expect((await act(bankAdmin.headers, h.caseId, { action: 'approve', reason: 'x' })).json.error.code).toBe(
      'INSUFFICIENT_ROLE',
    );
    expect(
      (await act(officer.headers, h.caseId, { action: 'extend', dueAt: new Date().toISOString(), reason: 'x' })).json
        .error.code,
    ).toBe('ACTION_NOT_ALLOWED');
    expect(await txStatus(h.transactionId)).toBe('held');

    const key = `approve-${randomUUID()}`;
    const approved = await act(
      officer.headers,
      h.caseId,
      { action: 'approve', reason: 'Known customer, source of funds checked' },
      key,
    );
    expect(approved.status).toBe(200);
    expect(approved.json.data).toMatchObject({
      action: 'approve',
      outcome: { transactionStatus: 'released' },
      replayed: false,
      case: { open: false, resolution: 'action:approve' },
    });
    // The hold workflow carried it out and ended released; the partner API reads it released.
    expect(await t.stack.deps.temporal.workflow.getHandle(transactionHoldWorkflowId(h.txKey)).result()).toEqual({
      outcome: 'released',
    });
    expect(await txStatus(h.transactionId)).toBe('released');

    // Same key: same answer, one effect. Another command: the case moved on.
    const again = await act(
      officer.headers,
      h.caseId,
      { action: 'approve', reason: 'Known customer, source of funds checked' },
      key,
    );
    expect([again.status, again.json.data.replayed]).toEqual([200, true]);
    const late = await act(officer.headers, h.caseId, { action: 'reject', reason: 'changed my mind' });
    expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);

    const shown = await t.api(`/cases/${encodeURIComponent(h.caseId)}`, { headers: officer.headers });
    expect(shown.json.data.trail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'case.approve',
          actor: officer.user._id,
          reason: 'Known customer, source of funds checked',
        }),
      ]),
    );
  }, 180_000);

  it('reject declines the held transaction before its deadline', async () => {
    const officer = await staff(a.tenantId, 'COMPLIANCE_OFFICER');
    const h = await heldTransaction();
    await listedCase(officer.headers, h.caseId, 'transaction_hold_expiring');
    expect((await act(officer.headers, h.caseId, { action: 'reject' })).json.error.code).toBe('REASON_REQUIRED');
    const rejected = await act(officer.headers, h.caseId, { action: 'reject', reason: 'Structuring pattern' });
    expect(rejected.status).toBe(200);
    expect(rejected.json.data).toMatchObject({
      outcome: { transactionStatus: 'declined' },
      case: { open: false, resolution: 'action:reject' },
    });
    expect(await txStatus(h.transactionId)).toBe('declined');
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: h.caseId, action: 'case.reject' }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      tenantId: a.tenantId,
      reason: 'Structuring pattern',
      to: { transactionStatus: 'declined' },
    });
  }, 180_000);
});
