import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';

import type { Config } from '../../adapters/config';
import { createTemporalClient, type TemporalClientConfig } from '../../adapters/temporal-client';
import {
  ANALYTICS_ROLLER_WORKFLOW,
  analyticsRollerStateQuery,
  analyticsRollerWorkflowId,
  rebuildAnalyticsSignal,
} from '../../domain/contracts/analytics-roller.contract';
import { taskQueues } from '../../domain/task-queues';

/** Starts the analytics roller unless it runs already (onboarding worker start-up, ops CLI). */
export async function ensureAnalyticsRoller(client: Client, config: RollerConfig): Promise<string> {
  const workflowId = analyticsRollerWorkflowId(config.TASK_QUEUE_PREFIX);
  try {
    await client.workflow.start(ANALYTICS_ROLLER_WORKFLOW, {
      workflowId,
      taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
      args: [{ intervalMs: config.ANALYTICS_ROLL_INTERVAL_MS }],
    });
    return `started ${workflowId}`;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return `kept ${workflowId}`;
    throw err;
  }
}

/** Where the roller runs and how to reach Temporal. */
type RollerConfig = Pick<Config, 'ANALYTICS_ROLL_INTERVAL_MS' | 'TASK_QUEUE_PREFIX'> & TemporalClientConfig;

export async function ensureAnalyticsRollerOnce(config: RollerConfig): Promise<string> {
  const client = createTemporalClient(config);
  try {
    return await ensureAnalyticsRoller(client, config);
  } finally {
    await client.connection.close();
  }
}

/** Asks the roller to rebuild the read models and waits until it has (reconcile, after seeding). */
export async function rebuildThroughRoller(
  client: Client,
  config: RollerConfig,
  onWait: () => void = () => {},
): Promise<void> {
  await ensureAnalyticsRoller(client, config);
  const handle = client.workflow.getHandle(analyticsRollerWorkflowId(config.TASK_QUEUE_PREFIX));
  const before = (await handle.query(analyticsRollerStateQuery)).rebuilds;
  await handle.signal(rebuildAnalyticsSignal);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    onWait();
    if ((await handle.query(analyticsRollerStateQuery)).rebuilds > before) return;
  }
}
