import type { VersioningBehavior } from '@temporalio/common';
import { setWorkflowOptions, workflowInfo } from '@temporalio/workflow';

/**
 * Declares `behavior` for `fn` only where the worker polls as a deployment version: the server
 * refuses a workflow task completion that names a behaviour from an unversioned worker (the tests',
 * `npm run start:*`), "versioning behavior cannot be specified without deployment options". An
 * unversioned worker reports an empty deployment name. The SDK reads this once per run, at its
 * first activation on a worker.
 */
export function declareVersioningBehavior(
  behavior: VersioningBehavior,
  fn: (...args: never[]) => Promise<unknown>,
): void {
  setWorkflowOptions(
    () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {}),
    fn,
  );
}
