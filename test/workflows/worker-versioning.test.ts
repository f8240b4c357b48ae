import { randomBytes } from 'node:crypto';

import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, type NativeConnection, type Worker } from '@temporalio/worker';

import { createLogger } from '../../adapters/logger';
import { currentVersion, setCurrentVersion } from '../../adapters/temporal/worker-deployment';
import { taskQueues } from '../../domain/task-queues';
import { createWorker } from '../../services/common/worker-runner';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { connectTestTemporal } from '../helpers/temporal';
import { eventually } from '../helpers/wait';

// Worker Deployment Versioning on the real dev server (docs/architecture.md, "Versioning"): the
// onboarding worker's spec and createWorker, as `npm start` runs them, with WORKER_DEPLOYMENT_NAME
// set; the workflow code is two separately bundled versions of one module (test/fixtures/versioning),
// whose PINNED workflow changed incompatibly between them.

const { VersioningBehavior } = temporal.api.enums.v1;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };
const deploymentName = `versioning-test-${randomBytes(3).toString('hex')}`;

let temporalConn: Awaited<ReturnType<typeof connectTestTemporal>>;
let client: Client;
let db: TestDatabase;
const running: { worker: Worker; run: Promise<void> }[] = [];

async function startVersion(buildId: string, fixture: 'v1' | 'v2') {
  const config = testConfig({ WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve(`../fixtures/versioning/${fixture}`),
    logger: quiet,
  });
  const deps = { config, logger: createLogger({ level: 'silent', name: 'test' }), models: db.models };
  const worker = await createWorker(onboardingWorkerSpec, deps, temporalConn.nativeConnection as NativeConnection, {
    workflowBundle,
    workflowsPath: undefined,
  });
  running.push({ worker, run: worker.run() });
  return { config, version: { deploymentName, buildId } };
}

async function makeCurrent(v: Awaited<ReturnType<typeof startVersion>>) {
  await setCurrentVersion(client.connection, {
    namespace: v.config.TEMPORAL_NAMESPACE,
    version: v.version,
    taskQueues: [taskQueues(v.config.TASK_QUEUE_PREFIX).onboarding],
    identity: 'worker-versioning.test',
  });
}

/** The version and behaviour the server recorded for a run (after its first workflow task). */
async function versioningOf(handle: WorkflowHandle) {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

const taskFailures = async (handle: WorkflowHandle) =>
  ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;

beforeAll(async () => {
  temporalConn = await connectTestTemporal();
  client = temporalConn.client;
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const r of running) r.worker.shutdown();
  await Promise.allSettled(running.map((r) => r.run));
  await temporalConn?.close();
  await db?.close();
});

describe('worker deployment versioning', () => {
  it('a pinned run started on version N completes on N after N+1 is current; new runs go to N+1; rollback sends them to N again', async () => {
    const v1 = await startVersion('v1', 'v1');
    const queue = taskQueues(v1.config.TASK_QUEUE_PREFIX).onboarding;
    await makeCurrent(v1);
    expect(await currentVersion(client.connection, 'default', deploymentName)).toEqual(v1.version);

    const start = (type: string, tag: string) =>
      client.workflow.start(type, { taskQueue: queue, workflowId: `${deploymentName}-${tag}` });
    const journeyOnN = await start('versionedJourney', 'journey-n');
    const pingOnN = await start('versionedPing', 'ping-n');
    // Both have run their first task on N before N+1 exists.
    await eventually(
      async () => (await versioningOf(journeyOnN)).buildId === 'v1' && (await versioningOf(pingOnN)).buildId === 'v1',
    );
    expect((await versioningOf(journeyOnN)).behavior).toBe(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
    expect((await versioningOf(pingOnN)).behavior).toBe(VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE);

    // Deploy N+1 next to N and make it current (what `npm start` does with a new build).
    const v2 = await startVersion('v2', 'v2');
    await makeCurrent(v2);
    const journeyOnN1 = await start('versionedJourney', 'journey-n1');

    for (const h of [journeyOnN, pingOnN, journeyOnN1]) await h.signal('proceed');
    // The pinned run finishes on the code it started on (v2 could not replay it); the short run
    // moved to N+1 at its next task; the new run went to N+1.
    expect(await journeyOnN.result()).toBe('v1');
    expect(await pingOnN.result()).toBe('v2');
    expect(await journeyOnN1.result()).toBe('v2');
    expect(await versioningOf(journeyOnN)).toEqual({
      buildId: 'v1',
      behavior: VersioningBehavior.VERSIONING_BEHAVIOR_PINNED,
    });
    expect(await taskFailures(journeyOnN)).toBe(0);

    // Rollback: N current again. A run pinned to N+1 stays there; new runs go to N.
    const pinnedToN1 = await start('versionedJourney', 'journey-n1-before-rollback');
    await eventually(async () => (await versioningOf(pinnedToN1)).buildId === 'v2');
    await makeCurrent(v1);
    const afterRollback = await start('versionedJourney', 'journey-after-rollback');
    for (const h of [pinnedToN1, afterRollback]) await h.signal('proceed');
    expect(await pinnedToN1.result()).toBe('v2');
    expect(await afterRollback.result()).toBe('v1');
  });
});
