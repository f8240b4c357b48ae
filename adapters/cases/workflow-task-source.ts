import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';

import { WORKFLOW_TASK_PROBLEMS, workflowTaskProblemQuery } from '../business-gauges/workflow-task-problems';
import type { CaseObservation, SourceContext, VisibilityCaseSource } from './case-source';

/** Runs read per pass: each costs a describe and one page of history; more wait for the next pass. */
const SCAN_LIMIT = 100;

/** `<workflowId>:<runId>`: one case per failing run (a new run of the same id is a new case). */
export const runSubjectId = (workflowId: string, runId: string) => `${workflowId}:${runId}`;
const parseSubject = (id: string) => {
  const at = id.lastIndexOf(':');
  return { workflowId: id.slice(0, at), runId: id.slice(at + 1) };
};

/** The problem categories Temporal flags the run with now (its `TemporalReportedProblems` attribute). */
function problemsOf(searchAttributes: Record<string, unknown> | undefined): string[] {
  const raw = searchAttributes?.TemporalReportedProblems;
  const values = (Array.isArray(raw) ? raw : []) as unknown[];
  return WORKFLOW_TASK_PROBLEMS.filter((p) => values.some((v) => v === `category=${p}`));
}

/** The last workflow task failure recorded in the run's history (the newest page, read backwards). */
async function lastTaskFailure(temporal: Client, workflowId: string, runId: string): Promise<string | null> {
  const page = await temporal.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: temporal.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 20,
  });
  for (const ev of page.history?.events ?? []) {
    const failed = ev.workflowTaskFailedEventAttributes;
    if (failed) return failed.failure?.message ?? `workflow task failed (cause ${failed.cause ?? 'unknown'})`;
    if (ev.workflowTaskTimedOutEventAttributes) return 'workflow task timed out';
  }
  return null;
}

/**
 * One run, read now: a case while it is running and Temporal flags its workflow tasks as failing or
 * timing out. Why: the failure message of its history and the attempts of the task now pending.
 */
async function observeRun(temporal: Client, subjectId: string, ctx: SourceContext): Promise<CaseObservation | null> {
  const { workflowId, runId } = parseSubject(subjectId);
  let desc;
  try {
    desc = await temporal.workflow.getHandle(workflowId, runId).describe();
  } catch (err) {
    if ((err as { name?: string }).name === 'WorkflowNotFoundError') return null;
    throw err;
  }
  const problems = problemsOf(desc.searchAttributes as Record<string, unknown>);
  if (desc.status.name !== 'RUNNING' || problems.length === 0) return null;
  if (ctx.taskQueues && !ctx.taskQueues.includes(desc.taskQueue)) return null;
  const pending = desc.raw.pendingWorkflowTask;
  const sinceMs = optionalTsToMs(pending?.originalScheduledTime) ?? null;
  const message = await lastTaskFailure(temporal, workflowId, runId);
  return {
    kind: 'workflow_task_failing',
    subjectType: 'workflowRun',
    subjectId,
    // A code or deploy problem, not a tenant's: internal admins see these.
    tenantId: null,
    ownerUserId: null,
    workflowId,
    why: {
      step: `${desc.type}:${problems.join(',')}`,
      since: sinceMs === null ? null : new Date(sinceMs),
      lastProviderEvent: null,
      attempts: pending?.attempt ?? null,
      detail: message ? message.slice(0, 500) : null,
    },
  };
}

const observeAll = async (temporal: Client, ids: string[], ctx: SourceContext) =>
  (await Promise.all(ids.map((id) => observeRun(temporal, id, ctx)))).filter((o): o is CaseObservation => o !== null);

const onQueues = (queues: string[] | undefined) =>
  queues ? ` AND TaskQueue IN (${queues.map((q) => `'${q}'`).join(', ')})` : '';

/**
 * Runs whose workflow tasks keep failing (the same visibility query as the `kyc_workflow_task_problems`
 * gauge). Temporal's store is durable and indexed, and it clears the flag when a task succeeds again,
 * so the case closes by itself after a fix is deployed.
 */
export const WORKFLOW_TASK_CASE_SOURCE: VisibilityCaseSource = {
  kind: 'workflow_task_failing',
  async scan(temporal, ctx) {
    const ids = new Set<string>();
    for (const category of WORKFLOW_TASK_PROBLEMS) {
      for await (const wf of temporal.workflow.list({
        query: workflowTaskProblemQuery(category) + onQueues(ctx.taskQueues),
        pageSize: SCAN_LIMIT,
      })) {
        ids.add(runSubjectId(wf.workflowId, wf.runId));
        if (ids.size >= SCAN_LIMIT) break;
      }
    }
    return observeAll(temporal, [...ids], ctx);
  },
  recheck: (temporal, subjectIds, ctx) => observeAll(temporal, subjectIds, ctx),
};
