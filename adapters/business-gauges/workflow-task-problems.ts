import type { Client } from '@temporalio/client';

/**
 * The problem categories Temporal (Server ≥ 1.28) writes to the `TemporalReportedProblems` search
 * attribute of a workflow whose workflow tasks failed or timed out twice in a row; the server clears
 * it when a task succeeds again. Measured on the dev server (1.32): a workflow whose code throws on
 * its first activation carries `["category=WorkflowTaskFailed", "cause=WorkflowTaskFailedCause…"]`.
 */
export const WORKFLOW_TASK_PROBLEMS = ['WorkflowTaskFailed', 'WorkflowTaskTimedOut'] as const;
export type WorkflowTaskProblem = (typeof WORKFLOW_TASK_PROBLEMS)[number];

/** Visibility query for the running workflows Temporal flags with one problem category. */
export const workflowTaskProblemQuery = (category: WorkflowTaskProblem) =>
  `ExecutionStatus = 'Running' AND TemporalReportedProblems = 'category=${category}'`;

/**
 * Running workflows stuck on failing workflow tasks (a bad deploy, non-determinism, a bug), by
 * category. Temporal's visibility store is the durable source: nothing has to be counted in our
 * database, a worker that crashes while failing still counts, and a recovered workflow stops
 * counting by itself. A server without the attribute rejects the query (the gauge goes stale).
 */
export async function countWorkflowTaskProblems(
  client: Client,
  deadlineMs: number,
): Promise<Record<WorkflowTaskProblem, number>> {
  const deadline = Date.now() + deadlineMs;
  const counts = await Promise.all(
    WORKFLOW_TASK_PROBLEMS.map((category) =>
      client.connection.withDeadline(deadline, () => client.workflow.count(workflowTaskProblemQuery(category))),
    ),
  );
  return Object.fromEntries(WORKFLOW_TASK_PROBLEMS.map((c, i) => [c, counts[i].count])) as Record<
    WorkflowTaskProblem,
    number
  >;
}
