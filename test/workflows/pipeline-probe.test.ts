import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';

import type { SystemActivities } from '../../activities/system/create-system-activities';
import { pipelineProbe } from '../../workflows/pipeline-probe';
import { createTimeSkippingEnv, workflowBundle } from '../helpers/temporal';

describe('pipelineProbe workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  const fakeActivities = (calls: string[]): SystemActivities => ({
    async recordProbeHop({ probeId }) {
      calls.push(`hop:${probeId}`);
      return { taskQueue: 'q', workerIdentity: 'w' };
    },
    async completeProbe({ probeId }) {
      calls.push(`complete:${probeId}`);
    },
  });

  it('visits each queue in order and then completes the probe', async () => {
    const calls: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'probe-ok',
      workflowBundle: await workflowBundle(),
      activities: fakeActivities(calls),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(pipelineProbe, {
        taskQueue: 'probe-ok',
        workflowId: 'probe-ok-1',
        args: [{ probeId: 'p1', taskQueues: ['probe-ok', 'probe-ok'] }],
      }),
    );
    expect(result.hops).toHaveLength(2);
    expect(calls).toEqual(['hop:p1', 'hop:p1', 'complete:p1']);
  });
});
