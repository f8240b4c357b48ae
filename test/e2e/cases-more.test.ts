import { randomUUID } from 'node:crypto';

import { WorkflowNotFoundError } from '@temporalio/client';

import { accountWorkflowId } from '../../domain/contracts/account.contract';
import { postVeriffToCrashedInstance } from '../helpers/api-instances';
import { casesApi, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import type { OnboardingStack } from '../helpers/onboarding-stack';

type Stack = OnboardingStack;

/**
 * The cases issue 24 added after the first set (docs/operations.md): re-driving a stored webhook
 * event. Made to happen through public surfaces (signed webhooks; an API instance that "crashed"
 * between its 200 and the signal), found by the case sweep, acted on over the API.
 */
describe('cases: re-driving webhook events', () => {
  let t: Stack;
  const hooks = kycWebhooks(() => t);
  const { staff, internalAdmin: admin, act, listedCase } = casesApi(() => t);
  beforeAll(async () => {
    // A pending signal becomes a case after one minute (the smallest setting): the test waits it out.
    t = await startCasesStack({ config: { CASE_WEBHOOK_PENDING_MINUTES: '1' } });
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  it('webhook_pending: an acknowledged event never signalled is re-driven to the onboarding, once; other tenants refused', async () => {
    const u = await t.confirmedUser({ org_name: `Cases Org ${randomUUID().slice(0, 8)}` });
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    // An API instance that "crashes" between the 200 and the signal acknowledges it and leaves it pending.
    const payload = hooks.veriffDecision(session.sessionId, u.userId, 'review');
    const res = await postVeriffToCrashedInstance(t.stack.deps, payload);
    expect(res.status).toBe(200);
    const event = (await t.stack.deps.models.WebhookEvent.findOne({ workflowId: `onboarding-${u.userId}` })
      .sort({ receivedAt: -1 })
      .lean())!;
    expect(event.signaledAt).toBeNull();
    const caseId = `webhook_pending:${event._id}`;
    const a = await admin();
    // Older than CASE_WEBHOOK_PENDING_MINUTES (1) before the sweep calls it a case.
    const listed = await listedCase(a.headers, caseId, 'webhook_pending', {
      timeoutMs: 100_000,
      sweepWhilePolling: true,
    });
    expect(listed).toMatchObject({ tenantId: null, actions: ['redrive', 'dismiss'], why: { step: 'pending_signal' } });

    // Tenant staff never act on a tenant-less webhook case.
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const officer = await staff(tenantId, 'COMPLIANCE_OFFICER');
    expect((await act(officer.headers, caseId, { action: 'redrive' })).json.error.code).toBe('FORBIDDEN_TENANT');

    const key = `redrive-${randomUUID()}`;
    const done = await act(a.headers, caseId, { action: 'redrive' }, key);
    expect(done.status).toBe(200);
    expect(done.json.data).toMatchObject({
      outcome: { signalled: true, provider: 'veriff', userId: u.userId },
      case: { open: false, resolution: 'action:redrive' },
      replayed: false,
    });
    // The onboarding took the decision: the user waits for a review, which is a case of its own.
    await t.waitFor(
      () => t.stack.deps.models.User.findById(u.userId).lean(),
      (x) => x?.kyc?.veriff?.status === 'review',
    );
    await listedCase(a.headers, `kyc_review:${u.userId}`, 'kyc_review', { sweepWhilePolling: true });
    expect((await t.stack.deps.models.WebhookEvent.findById(event._id).lean())!.signaledAt).not.toBeNull();
    expect(await t.stack.deps.models.WebhookPendingSignal.findById(event._id).lean()).toBeNull();

    // The same key again: the first answer, no second effect; another key: the case moved on.
    const again = await act(a.headers, caseId, { action: 'redrive' }, key);
    expect(again.json.data).toMatchObject({ replayed: true, outcome: { signalled: true } });
    const late = await act(a.headers, caseId, { action: 'redrive' });
    expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit).toEqual([
      expect.objectContaining({ action: 'case.redrive', actor: a.user._id, requestId: expect.any(String) }),
    ]);
  }, 180_000);

  it('webhook_unroutable: an event whose user still does not exist stays unroutable; nothing is started for nobody', async () => {
    const nobody = randomUUID();
    expect((await hooks.postVeriff(hooks.veriffDecision(randomUUID(), nobody, 'approved'))).status).toBe(200);
    const event = await t.waitFor(
      () => t.stack.deps.models.WebhookEvent.findOne({ unroutable: true }).sort({ receivedAt: -1 }).lean(),
      (e) => e !== null,
    );
    const caseId = `webhook_unroutable:${event!._id}`;
    const a = await admin();
    await listedCase(a.headers, caseId, 'webhook_unroutable', { sweepWhilePolling: true });
    const res = await act(a.headers, caseId, { action: 'redrive' });
    expect([res.status, res.json.error.code]).toEqual([409, 'WEBHOOK_STILL_UNROUTABLE']);
    await expect(t.stack.deps.temporal.workflow.getHandle(accountWorkflowId(nobody)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    expect(await t.stack.deps.models.WebhookEvent.findById(event!._id).lean()).toMatchObject({
      unroutable: true,
      signaledAt: null,
    });
    const shown = await t.api(`/cases/${encodeURIComponent(caseId)}`, { headers: a.headers });
    // A refused command writes no audit event.
    expect(shown.json.data).toMatchObject({ open: true, trail: [] });
  }, 120_000);
});
