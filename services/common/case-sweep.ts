import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';

import type { Config } from '../../adapters/config';
import { createTemporalClient, type TemporalClientConfig } from '../../adapters/temporal-client';
import { CASE_SWEEP_WORKFLOW, caseSweepWorkflowId, sweepCasesNowSignal } from '../../domain/contracts/cases.contract';
import { taskQueues } from '../../domain/task-queues';

type SweepConfig = Pick<Config, 'CASE_SWEEP_INTERVAL_MS' | 'TASK_QUEUE_PREFIX'>;

/** Starts the case sweep unless it runs already (onboarding worker start-up, ops CLI, tests). */
export async function ensureCaseSweep(client: Client, config: SweepConfig): Promise<string> {
  const workflowId = caseSweepWorkflowId(config.TASK_QUEUE_PREFIX);
  try {
    await client.workflow.start(CASE_SWEEP_WORKFLOW, {
      workflowId,
      taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
      args: [{ intervalMs: config.CASE_SWEEP_INTERVAL_MS }],
    });
    return `started ${workflowId}`;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return `kept ${workflowId}`;
    throw err;
  }
}

export async function ensureCaseSweepOnce(config: SweepConfig & TemporalClientConfig): Promise<string> {
  const client = createTemporalClient(config);
  try {
    return await ensureCaseSweep(client, config);
  } finally {
    await client.connection.close();
  }
}

/** Asks the running sweep for a pass now (ops `cases sweep`). */
export async function sweepCasesNow(client: Client, config: Pick<Config, 'TASK_QUEUE_PREFIX'>): Promise<void> {
  await client.workflow.getHandle(caseSweepWorkflowId(config.TASK_QUEUE_PREFIX)).signal(sweepCasesNowSignal);
}
