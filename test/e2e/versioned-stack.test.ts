import { randomBytes } from 'node:crypto';

import { temporal } from '@temporalio/proto';

import { setCurrentVersion } from '../../adapters/temporal/worker-deployment';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { pipelineProbeWorkflowId } from '../../domain/contracts/pipeline-probe.contract';
import { taskQueues } from '../../domain/task-queues';
import { kycWorkerSpec } from '../../services/kyc-worker/spec';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { TEST_OPS_TOKEN } from '../helpers/config';
import { request } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';
import { eventually } from '../helpers/wait';

// The real workers and workflow bundle with versioning switched on, as `npm start` runs them: the
// behaviours declared in workflows/versioning.ts reach the server, and a versioned stack whose kyc
// worker polls unversioned still runs a workflow across all three queues.
const { VersioningBehavior } = temporal.api.enums.v1;
const deploymentName = `versioned-stack-${randomBytes(3).toString('hex')}`;

describe('a stack with versioned workflow workers', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      workers: [onboardingWorkerSpec, kycWorkerSpec, notificationsWorkerSpec],
      config: { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: 'build-1' },
    });
    const queues = taskQueues(stack.deps.config.TASK_QUEUE_PREFIX);
    await setCurrentVersion(stack.deps.temporal.connection, {
      namespace: stack.deps.config.TEMPORAL_NAMESPACE,
      version: { deploymentName, buildId: 'build-1' },
      taskQueues: [queues.onboarding, queues.notifications],
      identity: 'versioned-stack.test',
    });
  });
  afterAll(() => stack?.close());

  const versioningOf = async (workflowId: string) => {
    const info = (await stack.deps.temporal.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo
      ?.versioningInfo;
    return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
  };

  it('onboarding runs are pinned to the version they started on', async () => {
    const res = await request(`${stack.url}/users/register`, {
      method: 'POST',
      json: {
        email: `v-${randomBytes(4).toString('hex')}@example.com`,
        password: 'SecurePass123!x',
        firstName: 'Ada',
        lastName: 'Obi',
        phoneNumber: '+2348012345678',
      },
    });
    expect(res.status).toBe(201);
    const id = onboardingWorkflowId(res.json.data.userId);
    await eventually(async () => (await versioningOf(id)).buildId);
    expect(await versioningOf(id)).toEqual({
      buildId: 'build-1',
      behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
    });
  });

  it('the pipeline probe (auto-upgrade) reaches the versioned and the unversioned workers', async () => {
    const auth = { authorization: `Bearer ${TEST_OPS_TOKEN}` };
    const started = await request(`${stack.url}/ops/probes`, { method: 'POST', headers: auth });
    expect(started.status).toBe(202);
    const { probeId } = started.json.data;
    const probe = await eventually(async () => {
      const p = (await request(`${stack.url}/ops/probes/${probeId}`, { headers: auth })).json.data;
      return p.status !== 'running' && p;
    });
    expect(probe.status).toBe('completed');
    expect(probe.hops).toHaveLength(3);
    expect(await versioningOf(pipelineProbeWorkflowId(probeId))).toEqual({
      buildId: 'build-1',
      behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
    });
  });
});
