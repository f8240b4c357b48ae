import { execFile } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { caseSweepStateQuery, caseSweepWorkflowId } from '../../domain/contracts/cases.contract';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { verificationRequestWorkflowId } from '../../domain/contracts/verification-request.contract';
import { sweepCasesNow } from '../../services/common/case-sweep';
import { casesApi, failedVerificationCase, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import { TEST_OPS_TOKEN, TEST_SECRETS } from '../helpers/config';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import type { OnboardingStack } from '../helpers/onboarding-stack';

type Stack = OnboardingStack;

/**
 * Cases end to end (docs/operations.md): made to happen through public surfaces (the sandbox's
 * outcomes, signed webhooks), found by the case sweep, listed and acted on over the API, the
 * owning workflow carrying the action out, the audit event written, other tenants refused.
 */
describe('cases: stuck work, listed and acted on', () => {
  let t: Stack;
  const hooks = kycWebhooks(() => t);
  const { staff, internalAdmin, act, listedCase } = casesApi(() => t);
  beforeAll(async () => {
    t = await startCasesStack();
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  it('Veriff review: the tenant officer rejects with a reason through the onboarding; repeated once, refused after, other tenants refused', async () => {
    const u = await t.confirmedUser({ org_name: `Cases Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const officer = await staff(tenantId, 'COMPLIANCE_OFFICER');
    const bankAdmin = await staff(tenantId, 'BANK_ADMIN');
    const otherOrg = await t.stack.deps.models.Organization.create({ name: 'Other', slug: `other-${randomInt(1e9)}` });
    const stranger = await staff(otherOrg._id, 'COMPLIANCE_OFFICER');

    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    expect((await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'review' })).status).toBe(200);

    const caseId = `kyc_review:${u.userId}`;
    const listed = await listedCase(officer.headers, caseId, 'kyc_review');
    expect(listed).toMatchObject({
      kind: 'kyc_review',
      tenantId,
      ownerUserId: u.userId,
      workflowId: onboardingWorkflowId(u.userId),
      why: { step: 'awaiting_kyc_decision', lastProviderEvent: 'veriff:review' },
      actions: ['approve', 'reject'],
    });
    expect(listed.temporalUrl).toContain(encodeURIComponent(onboardingWorkflowId(u.userId)));
    // The gauge counts it (open cases by kind and age bucket).
    const metrics = await t.api('/metrics', { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } });
    const gauge = metrics.text.match(/^kyc_cases_open\{kind="kyc_review",age_bucket="<1h"\} (\d+)$/m);
    expect(Number(gauge?.[1])).toBeGreaterThanOrEqual(1);

    // Another tenant neither sees nor acts on it.
    const theirs = await t.api('/cases?kind=kyc_review', { headers: stranger.headers });
    expect(theirs.json.data.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    expect((await t.api(`/cases?tenantId=${tenantId}`, { headers: stranger.headers })).json.error.code).toBe(
      'FORBIDDEN_TENANT',
    );
    expect((await t.api(`/cases/${encodeURIComponent(caseId)}`, { headers: stranger.headers })).json.error.code).toBe(
      'FORBIDDEN_TENANT',
    );
    const crossTenant = await act(stranger.headers, caseId, { action: 'reject', reason: 'not mine' });
    expect(crossTenant.status).toBe(403);
    expect(crossTenant.json.error.code).toBe('FORBIDDEN_TENANT');
    // A decision on a person's identity is compliance's: the bank admin may not take it.
    expect((await act(bankAdmin.headers, caseId, { action: 'reject', reason: 'x' })).json.error.code).toBe(
      'INSUFFICIENT_ROLE',
    );
    expect((await act(officer.headers, caseId, { action: 'reject' })).json.error.code).toBe('REASON_REQUIRED');
    expect((await act(officer.headers, caseId, { action: 'retry' })).json.error.code).toBe('ACTION_NOT_ALLOWED');
    expect(
      (
        await t.api(`/cases/${encodeURIComponent(caseId)}/actions`, {
          method: 'POST',
          headers: officer.headers,
          json: { action: 'reject', reason: 'x' },
        })
      ).json.error.code,
    ).toBe('IDEMPOTENCY_KEY_REQUIRED');

    const key = `reject-${randomUUID()}`;
    const rejected = await act(
      officer.headers,
      caseId,
      { action: 'reject', reason: 'Document photo does not match the selfie' },
      key,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.json.data).toMatchObject({
      action: 'reject',
      outcome: { userStatus: 'rejected' },
      replayed: false,
      case: { open: false, resolution: 'action:reject' },
    });
    // The onboarding carried it out: the user is rejected and the run ended rejected.
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('rejected');
    const run = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(u.userId));
    await run.result();
    expect((await run.describe()).status.name).toBe('COMPLETED');

    // The same command again is the same answer, one effect; another command finds it moved on.
    const again = await act(
      officer.headers,
      caseId,
      { action: 'reject', reason: 'Document photo does not match the selfie' },
      key,
    );
    expect(again.status).toBe(200);
    expect(again.json.data.replayed).toBe(true);
    expect((await act(officer.headers, caseId, { action: 'reject', reason: 'other words' }, key)).json.error.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    const late = await act(officer.headers, caseId, { action: 'approve', reason: 'changed my mind' });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'CASE_MOVED_ON', details: { case: { id: caseId, open: false } } });

    const audit = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).lean();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: officer.user._id,
      action: 'case.reject',
      tenantId,
      reason: 'Document photo does not match the selfie',
    });
    expect(audit[0].requestId).toBe(rejected.headers.get('x-request-id'));
    // The case's trail shows the action and the status change the workflow audited.
    const shown = await t.api(`/cases/${encodeURIComponent(caseId)}`, { headers: officer.headers });
    const trail = shown.json.data.trail.map((e: { action: string }) => e.action);
    expect(trail).toContain('case.reject');
    expect(
      shown.json.data.trail.some(
        (e: { subject: string; to: unknown }) => e.subject === u.userId && e.to === 'rejected',
      ),
    ).toBe(true);
  }, 120_000);

  it('Veriff review: approve activates the user', async () => {
    const u = await t.confirmedUser({ org_name: `Cases Org ${randomUUID().slice(0, 8)}` });
    const tenantId = (await t.stack.deps.models.User.findById(u.userId).lean())!.tenantId!;
    const admin = await internalAdmin();
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'review' });
    const caseId = `kyc_review:${u.userId}`;
    await listedCase(admin.headers, caseId, 'kyc_review');
    const approved = await act(admin.headers, caseId, { action: 'approve', reason: 'Checked by hand' });
    expect(approved.status).toBe(200);
    expect(approved.json.data).toMatchObject({ outcome: { userStatus: 'active' }, case: { open: false, tenantId } });
    expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('active');
  }, 120_000);

  it('verification request failed: retry runs the lookup again as the officer, extend moves the due date, cancel closes it', async () => {
    const { officer, requestId, caseId, readRequest } = await failedVerificationCase(t);
    const listed = await listedCase(officer.headers, caseId, 'verification_failed');
    expect(listed).toMatchObject({
      workflowId: verificationRequestWorkflowId(requestId),
      why: { step: 'failed', lastProviderEvent: 'NO_MATCH', attempts: 1 },
    });

    const retried = await act(officer.headers, caseId, { action: 'retry', reason: 'Provider fixed its records' });
    expect(retried.status).toBe(200);
    expect(retried.json.data.outcome).toEqual({ attempt: 2, requestStatus: 'submitted' });
    // The workflow looked the number up again, as the officer's submission; it failed again, so the case is back.
    const failedAgain = await t.waitFor(readRequest, (r) => r.status === 'failed' && r.submissions === 2);
    expect(failedAgain.transitions.filter((x: { status: string }) => x.status === 'submitted')).toHaveLength(2);
    const reopened = await listedCase(officer.headers, caseId, 'verification_failed', {
      match: (c) => c.open && c.why.attempts === 2,
    });
    expect(reopened.version).toBeGreaterThan(listed.version);

    // Extend: the workflow takes the new due date (the record and the answer show it); an earlier one is refused.
    const before = (await t.stack.deps.models.VerificationRequest.findById(requestId).lean())!.dueAt;
    const earlier = await act(officer.headers, caseId, {
      action: 'extend',
      reason: 'x',
      dueAt: new Date(before.getTime() - 60_000).toISOString(),
    });
    expect(earlier.json.error.code).toBe('INVALID_DUE_DATE');
    const later = new Date(before.getTime() + 3 * 86_400_000).toISOString();
    const extended = await act(officer.headers, caseId, {
      action: 'extend',
      reason: 'Customer is travelling',
      dueAt: later,
    });
    expect(extended.status).toBe(200);
    expect(extended.json.data).toMatchObject({ outcome: { dueAt: later }, case: { open: true } });
    expect((await t.stack.deps.models.VerificationRequest.findById(requestId).lean())!.dueAt.toISOString()).toBe(later);

    const cancelled = await act(officer.headers, caseId, { action: 'cancel', reason: 'Customer left the bank' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.data).toMatchObject({
      outcome: { requestStatus: 'cancelled' },
      case: { open: false, resolution: 'action:cancel' },
    });
    expect(
      await t.stack.deps.temporal.workflow.getHandle(verificationRequestWorkflowId(requestId)).result(),
    ).toMatchObject({ status: 'cancelled' });
    const final = await readRequest();
    expect(final.transitions.at(-1)).toMatchObject({ status: 'cancelled', reason: 'Customer left the bank' });
    const actions = await t.stack.deps.models.AuditEvent.find({ subject: caseId }).sort({ at: 1 }).lean();
    expect(actions.map((a) => a.action)).toEqual(['case.retry', 'case.extend', 'case.cancel']);
  }, 120_000);

  it('unroutable webhook: only internal admins see it, and one may dismiss it with a reason', async () => {
    const sessionId = randomUUID();
    const res = await hooks.postVeriff(hooks.veriffDecision(sessionId, randomUUID(), 'approved'));
    expect(res.status).toBe(200);
    const event = await t.waitFor(
      () => t.stack.deps.models.WebhookEvent.findOne({ unroutable: true }).sort({ receivedAt: -1 }).lean(),
      (e) => e !== null,
    );
    const caseId = `webhook_unroutable:${event!._id}`;
    const admin = await internalAdmin();
    const listed = await listedCase(admin.headers, caseId, 'webhook_unroutable');
    expect(listed).toMatchObject({
      tenantId: null,
      actions: ['redrive', 'dismiss'],
      why: { step: 'unroutable', lastProviderEvent: expect.stringMatching(/^veriff:/) },
    });
    const org = await t.stack.deps.models.Organization.create({ name: 'Bank', slug: `bank-${randomInt(1e9)}` });
    const officer = await staff(org._id, 'COMPLIANCE_OFFICER');
    expect((await act(officer.headers, caseId, { action: 'dismiss', reason: 'x' })).json.error.code).toBe(
      'FORBIDDEN_TENANT',
    );
    const dismissed = await act(admin.headers, caseId, { action: 'dismiss', reason: 'Test traffic from Veriff' });
    expect(dismissed.json.data.case).toMatchObject({ open: false, resolution: 'dismissed' });
    // The sweep keeps it closed (its subject is unchanged), and it is in the closed list.
    const handle = t.stack.deps.temporal.workflow.getHandle(caseSweepWorkflowId(t.stack.deps.config.TASK_QUEUE_PREFIX));
    const passes = (await handle.query(caseSweepStateQuery)).passes;
    await sweepCasesNow(t.stack.deps.temporal, t.stack.deps.config);
    await t.waitFor(
      () => handle.query(caseSweepStateQuery),
      (s) => s.passes > passes + 1,
    );
    const closed = await t.api('/cases?state=closed&kind=webhook_unroutable', { headers: admin.headers });
    expect(closed.json.data.items.find((c: { id: string }) => c.id === caseId)).toMatchObject({
      open: false,
      resolution: 'dismissed',
    });
  }, 120_000);

  it('the ops CLI lists, shows and acts with the same rules (npm run ops -- cases …)', async () => {
    const u = await t.confirmedUser({ org_name: `Cases Org ${randomUUID().slice(0, 8)}` });
    const session = (await t.api(`/users/${u.userId}/kyc-session`, { method: 'POST', headers: u.headers })).json.data;
    await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'review' });
    const caseId = `kyc_review:${u.userId}`;
    const admin = await internalAdmin();
    await listedCase(admin.headers, caseId, 'kyc_review');

    const root = path.resolve(__dirname, '..', '..');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-cli-'));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KYC_DATA_DIR: dataDir,
      NODE_ENV: 'test',
      ...TEST_SECRETS,
      MONGODB_URI: `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${t.stack.deps.db.name}`,
      TEMPORAL_ADDRESS: t.stack.deps.config.TEMPORAL_ADDRESS,
      TASK_QUEUE_PREFIX: t.stack.deps.config.TASK_QUEUE_PREFIX,
    };
    const ops = (args: string[]) =>
      promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['services/ops/main.ts', 'cases', ...args], {
        cwd: root,
        env,
        timeout: 60_000,
      });
    try {
      const listed = await ops(['list', '--kind', 'kyc_review']);
      expect(listed.stdout).toContain(caseId);
      const shown = JSON.parse((await ops(['show', caseId])).stdout);
      expect(shown).toMatchObject({ id: caseId, open: true, actions: ['approve', 'reject'] });
      const refused = await ops(['act', caseId, '--action', 'reject', '--as', admin.user._id]).catch(
        (e: { stderr: string }) => e,
      );
      expect((refused as { stderr: string }).stderr).toContain('REASON_REQUIRED');
      const done = JSON.parse(
        (
          await ops([
            'act',
            caseId,
            '--action',
            'reject',
            '--as',
            admin.user._id,
            '--reason',
            'Checked in the back office',
            '--key',
            'cli-key-1',
          ])
        ).stdout,
      );
      expect(done).toMatchObject({
        outcome: { userStatus: 'rejected' },
        case: { open: false, resolution: 'action:reject' },
      });
      expect((await t.stack.deps.models.User.findById(u.userId).lean())!.status).toBe('rejected');
      const audit = await t.stack.deps.models.AuditEvent.findOne({ subject: caseId }).lean();
      expect(audit).toMatchObject({
        actor: admin.user._id,
        action: 'case.reject',
        reason: 'Checked in the back office',
        requestId: expect.stringMatching(/^ops-cli:/),
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
