import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';

import type { Config } from '../../adapters/config';
import { createTemporalClient, type TemporalClientConfig } from '../../adapters/temporal-client';
import {
  VERIFICATION_SWEEP_WORKFLOW,
  verificationSweepScheduleId,
} from '../../domain/contracts/verification-sweep.contract';
import { taskQueues } from '../../domain/task-queues';

/**
 * Creates the daily verification sweep Schedule, or brings an existing one's cron in line with
 * VERIFICATION_SWEEP_CRON. Idempotent: the onboarding worker runs it at start, and so does
 * `npm run ops -- setup-schedules`. Returns what it did.
 */
export async function ensureSchedules(
  client: Client,
  config: Pick<Config, 'TASK_QUEUE_PREFIX' | 'VERIFICATION_SWEEP_CRON'>,
): Promise<string[]> {
  const scheduleId = verificationSweepScheduleId(config.TASK_QUEUE_PREFIX);
  const spec = { cronExpressions: [config.VERIFICATION_SWEEP_CRON] };
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: VERIFICATION_SWEEP_WORKFLOW,
        taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
        workflowId: scheduleId,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
    return [`created ${scheduleId} (${config.VERIFICATION_SWEEP_CRON})`];
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec }));
    return [`kept ${scheduleId} (${config.VERIFICATION_SWEEP_CRON})`];
  }
}

/** The same with a client of its own, for processes that have none (worker start-up, ops CLI). */
export async function ensureSchedulesOnce(
  config: Pick<Config, 'TASK_QUEUE_PREFIX' | 'VERIFICATION_SWEEP_CRON'> & TemporalClientConfig,
): Promise<string[]> {
  const client = createTemporalClient(config);
  try {
    return await ensureSchedules(client, config);
  } finally {
    await client.connection.close();
  }
}
