import { randomUUID } from 'node:crypto';

import { taskQueues } from '../../domain/task-queues';
import { sweepCasesNow } from '../../services/common/case-sweep';
import { casesApi, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import type { OnboardingStack } from '../helpers/onboarding-stack';

/**
 * workflow_task_failing (docs/operations.md): a run whose workflow tasks fail is a case found in
 * Temporal's visibility store by the case sweep, one per run, for internal admins only. Its one
 * action is dismiss; it also closes by itself once the run's tasks stop failing (here: the run ends).
 */
describe('cases: workflow task failures', () => {
  let t: OnboardingStack;
  const { staff, internalAdmin: admin, act, listedCase } = casesApi(() => t);
  const shown = (headers: Record<string, string>, caseId: string) =>
    t.api(`/cases/${encodeURIComponent(caseId)}`, { headers });
  beforeAll(async () => {
    t = await startCasesStack();
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  it('a failing run is a case with its failure and attempts; dismissed (audited, once) or closed when the run stops failing', async () => {
    const { temporal, config, models } = t.stack.deps;
    // A workflow type no worker knows: the onboarding worker fails each of its workflow tasks.
    const start = () =>
      temporal.workflow.start('noSuchWorkflowType', {
        taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
        workflowId: `broken-${randomUUID()}`,
        args: [],
      });
    const [dismissed, ended] = await Promise.all([start(), start()]);
    try {
      const a = await admin();
      const caseOf = (h: typeof dismissed) => `workflow_task_failing:${h.workflowId}:${h.firstExecutionRunId}`;
      // Temporal flags a run after its second failed task in a row; the sweep finds it then.
      const listed = await listedCase(a.headers, caseOf(dismissed), 'workflow_task_failing', {
        timeoutMs: 120_000,
        sweepWhilePolling: true,
      });
      expect(listed).toMatchObject({
        subjectType: 'workflowRun',
        tenantId: null,
        ownerUserId: null,
        workflowId: dismissed.workflowId,
        temporalUrl: expect.stringContaining(encodeURIComponent(dismissed.workflowId)),
        actions: ['dismiss'],
        why: {
          step: 'noSuchWorkflowType:WorkflowTaskFailed',
          since: expect.any(String),
          attempts: expect.any(Number),
          detail: expect.stringContaining('noSuchWorkflowType'),
        },
      });
      expect(listed.why.attempts).toBeGreaterThanOrEqual(2);

      // Not a tenant's problem: tenant staff neither see nor act on it.
      const officer = await staff(`org-${randomUUID()}`, 'COMPLIANCE_OFFICER');
      const theirs = await t.api('/cases?kind=workflow_task_failing&limit=100', { headers: officer.headers });
      expect(theirs.json.data.items.map((c: { id: string }) => c.id)).not.toContain(caseOf(dismissed));
      const refused = await act(officer.headers, caseOf(dismissed), { action: 'dismiss', reason: 'not ours' });
      expect([refused.status, refused.json.error.code]).toEqual([403, 'FORBIDDEN_TENANT']);
      // Dismiss is the only action: a fix is a deploy or a reset, which the product does not do.
      const retry = await act(a.headers, caseOf(dismissed), { action: 'retry', reason: 'try again' });
      expect([retry.status, retry.json.error.code]).toEqual([422, 'ACTION_NOT_ALLOWED']);
      const noReason = await act(a.headers, caseOf(dismissed), { action: 'dismiss' });
      expect([noReason.status, noReason.json.error.code]).toEqual([400, 'REASON_REQUIRED']);

      const key = `dismiss-${randomUUID()}`;
      const done = await act(a.headers, caseOf(dismissed), { action: 'dismiss', reason: 'fix ships Monday' }, key);
      expect(done.status).toBe(200);
      expect(done.json.data).toMatchObject({ case: { open: false, resolution: 'dismissed', actions: [] } });
      const again = await act(a.headers, caseOf(dismissed), { action: 'dismiss', reason: 'fix ships Monday' }, key);
      expect(again.json.data).toMatchObject({ replayed: true, case: { resolution: 'dismissed' } });
      expect(await models.AuditEvent.find({ subject: caseOf(dismissed) }).lean()).toEqual([
        expect.objectContaining({
          action: 'case.dismiss',
          actor: a.user._id,
          reason: 'fix ships Monday',
          requestId: expect.any(String),
        }),
      ]);
      // The run still fails, yet the sweep keeps a dismissed case closed.
      await sweepCasesNow(temporal, config);
      await new Promise((r) => setTimeout(r, 2_000));
      expect((await shown(a.headers, caseOf(dismissed))).json.data).toMatchObject({
        open: false,
        resolution: 'dismissed',
      });

      // The other run stops failing (it ends): its case closes by itself.
      await listedCase(a.headers, caseOf(ended), 'workflow_task_failing', {
        timeoutMs: 120_000,
        sweepWhilePolling: true,
      });
      await ended.terminate('test: the run stops failing');
      await t.waitFor(
        async () => {
          await sweepCasesNow(temporal, config);
          return shown(a.headers, caseOf(ended));
        },
        (r) => r.json.data?.open === false,
        30_000,
      );
      expect((await shown(a.headers, caseOf(ended))).json.data).toMatchObject({ resolution: 'resolved', trail: [] });
      // Acting on a case that moved on: 409 with its current state.
      const late = await act(a.headers, caseOf(ended), { action: 'dismiss', reason: 'late' });
      expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);
    } finally {
      await Promise.all([dismissed, ended].map((h) => h.terminate('test over').catch(() => undefined)));
    }
  }, 300_000);
});
