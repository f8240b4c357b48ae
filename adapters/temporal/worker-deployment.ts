import crypto from 'node:crypto';
import fs from 'node:fs';

import type { Connection } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { WorkerDeploymentOptions } from '@temporalio/worker';

import type { Config } from '../config';

// Worker Deployment Versioning (docs/architecture.md, "Versioning"): a workflow worker polls as one
// version of a deployment; the server sends a new run to the deployment's current version, keeps a
// PINNED run on the version it started on and moves an AUTO_UPGRADE run to the current one.

type VersioningConfig = Pick<Config, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID' | 'WORKFLOW_BUNDLE_PATH'>;

/**
 * A build id named after the bundle's bytes: the same workflow code is the same version wherever it
 * runs, and any change to it (workflows/, domain/, the SDK) is a new one. Activity code is not in
 * the bundle: changing only activities keeps the version, which is right — replay never runs them.
 */
export function bundleBuildId(bundlePath: string): string {
  return `wf-${crypto.createHash('sha256').update(fs.readFileSync(bundlePath)).digest('hex').slice(0, 16)}`;
}

/** This worker's version, or undefined when it polls unversioned (WORKER_DEPLOYMENT_NAME unset). */
export function workerDeploymentVersion(config: VersioningConfig): WorkerDeploymentVersion | undefined {
  if (!config.WORKER_DEPLOYMENT_NAME) return undefined;
  // Config validation guarantees one of the two (adapters/config/index.ts).
  const buildId = config.WORKER_BUILD_ID ?? bundleBuildId(config.WORKFLOW_BUNDLE_PATH!);
  return { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId };
}

/**
 * The worker option for a version. Every workflow declares its behaviour (workflows/versioning.ts);
 * the default only covers a workflow type that is not ours, and AUTO_UPGRADE is the one that never
 * strands a run on a version whose workers are gone.
 */
export function workerDeploymentOptions(version: WorkerDeploymentVersion): WorkerDeploymentOptions {
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The task queues the server has seen this version's workers poll. */
export async function versionTaskQueues(
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  version: WorkerDeploymentVersion,
): Promise<string[]> {
  try {
    const res = await connection.workflowService.describeWorkerDeploymentVersion({
      namespace,
      deploymentVersion: version,
    });
    return [...new Set((res.workerDeploymentVersionInfo?.taskQueueInfos ?? []).map((q) => q.name ?? ''))];
  } catch (err) {
    if ((err as { code?: number }).code === 5) return []; // NOT_FOUND: no worker of it has polled yet
    throw err;
  }
}

/**
 * Makes `version` the deployment's current one (rollout and rollback alike), once its workers poll
 * every queue in `taskQueues`: before that the server refuses (no such version yet), and a version
 * made current with a queue missing would leave that queue's new tasks without a worker. Returns
 * once every task queue partition routes by it.
 */
export async function setCurrentVersion(
  connection: Pick<Connection, 'workflowService'>,
  opts: {
    namespace: string;
    version: WorkerDeploymentVersion;
    taskQueues: string[];
    identity: string;
    timeoutMs?: number;
  },
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const polled = await versionTaskQueues(connection, opts.namespace, opts.version);
    const missing = opts.taskQueues.filter((q) => !polled.includes(q));
    if (missing.length === 0) {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: opts.namespace,
        deploymentName: opts.version.deploymentName,
        buildId: opts.version.buildId,
        identity: opts.identity,
      });
      return await routingPropagated(connection, opts.namespace, opts.version.deploymentName, deadline);
    }
    if (Date.now() > deadline) {
      const name = `${opts.version.deploymentName}.${opts.version.buildId}`;
      throw new Error(`version ${name} has no worker polling ${missing.join(', ')} yet; not made current`);
    }
    await sleep(250);
  }
}

const { ROUTING_CONFIG_UPDATE_STATE_IN_PROGRESS } = temporal.api.enums.v1.RoutingConfigUpdateState;

/**
 * Waits until the server has handed the new routing to every partition of the deployment's task
 * queues. Until then a partition may still send an auto-upgrade run's next task to the old version
 * (seen once in five runs of test/workflows/worker-versioning.test.ts before this wait: two
 * auto-upgrade runs signalled right after the switch finished on N).
 */
async function routingPropagated(
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  deploymentName: string,
  deadline: number,
) {
  for (;;) {
    const res = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    if (res.workerDeploymentInfo?.routingConfigUpdateState !== ROUTING_CONFIG_UPDATE_STATE_IN_PROGRESS) return;
    if (Date.now() > deadline) throw new Error(`the routing of ${deploymentName} has not reached every task queue yet`);
    await sleep(100);
  }
}

/** The deployment's current version (undefined: none yet, or unversioned workers are current). */
export async function currentVersion(
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  deploymentName: string,
): Promise<WorkerDeploymentVersion | undefined> {
  try {
    const res = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    const current = res.workerDeploymentInfo?.routingConfig?.currentDeploymentVersion;
    return current?.buildId ? { deploymentName, buildId: current.buildId } : undefined;
  } catch (err) {
    if ((err as { code?: number }).code === 5) return undefined;
    throw err;
  }
}
