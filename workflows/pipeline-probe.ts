import { proxyActivities } from '@temporalio/workflow';

import type { SystemActivities } from '../activities/system/create-system-activities';
import type { PipelineProbeInput, PipelineProbeResult } from '../domain/contracts/pipeline-probe.contract';
import { activityProfiles } from './activity-profiles';

/**
 * Visits every worker's task queue once. A queue with no live worker fails the probe after a
 * minute instead of waiting forever, which is exactly what an operator wants to learn.
 */
export async function pipelineProbe(input: PipelineProbeInput): Promise<PipelineProbeResult> {
  const hops: PipelineProbeResult['hops'] = [];
  for (const taskQueue of input.taskQueues) {
    const { recordProbeHop } = proxyActivities<SystemActivities>({
      ...activityProfiles.fast,
      taskQueue,
      scheduleToCloseTimeout: '1 minute',
    });
    hops.push(await recordProbeHop({ probeId: input.probeId }));
  }
  const { completeProbe } = proxyActivities<SystemActivities>(activityProfiles.fast);
  await completeProbe({ probeId: input.probeId });
  return { hops };
}
