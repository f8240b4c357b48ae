import { Client, Connection } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';

import { setCurrentVersion } from '../../adapters/temporal/worker-deployment';

/** The deployment `npm start`'s workflow workers join unless .env names another. */
export const DEV_DEPLOYMENT_NAME = 'kyc-orchestrator';

/** The search-attribute spelling of a version (`name:buildId`), as visibility queries take it. */
const visibilityName = (v: WorkerDeploymentVersion) => `${v.deploymentName}:${v.buildId}`;

/**
 * The rollout step of `npm start`: once this build's workflow workers poll every workflow queue, it
 * becomes the deployment's current version, so new runs and AUTO_UPGRADE runs go to it (README,
 * "Upgrading workers"). Then one line if PINNED runs of earlier builds are still open: this stack
 * runs only the newest build, so they wait, and the line says how to move them on.
 */
export async function makeDevVersionCurrent(opts: {
  address: string;
  namespace: string;
  version: WorkerDeploymentVersion;
  taskQueues: string[];
  log: (line: string) => void;
}): Promise<void> {
  const connection = await Connection.connect({ address: opts.address });
  try {
    await setCurrentVersion(connection, {
      namespace: opts.namespace,
      version: opts.version,
      taskQueues: opts.taskQueues,
      identity: 'npm start',
      timeoutMs: 120_000,
    });
    opts.log(`workflow workers of ${opts.version.deploymentName}.${opts.version.buildId} are current`);
    const query =
      `ExecutionStatus = 'Running' AND TemporalWorkerDeployment = '${opts.version.deploymentName}' AND ` +
      `TemporalWorkflowVersioningBehavior = 'Pinned' AND TemporalWorkerDeploymentVersion != '${visibilityName(opts.version)}'`;
    const { count } = await new Client({ connection, namespace: opts.namespace }).workflow.count(query);
    if (count > 0) {
      opts.log(
        `${count} pinned onboarding run(s) of earlier builds wait for those builds' workers (npm start runs only this build); ` +
          `to continue them on this one: .tools/venv/bin/temporal workflow update-options --query "${query}" ` +
          '--versioning-override-behavior auto_upgrade --yes',
      );
    }
  } finally {
    await connection.close();
  }
}
