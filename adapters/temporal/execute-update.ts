import { randomUUID } from 'node:crypto';

import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';

import { grpcStatus, grpcStatusOf } from './grpc-status';

/**
 * How often an update the server dropped is sent again. The server drops an update when the
 * workflow task carrying it fails (FAILED_PRECONDITION, "unexpected workflow task failure": e.g.
 * the task timed out on a loaded worker while the run was busy with another event). The update
 * was never accepted, so sending it again under the same update id (which the server
 * deduplicates) is safe, and the retried task usually succeeds.
 */
const DROPPED_UPDATE_RETRIES = 3;

/**
 * `handle.executeUpdate(update, { args })`, sent again (same update id, up to 3 more times, 200 ms
 * × attempt apart) when the server dropped it. Every other outcome (the update's result, its
 * refusal by a validator or handler, a run that does not exist, any other RPC error) comes back
 * exactly as `executeUpdate` gives it, so callers keep their own catch. Every API-side update goes
 * through here; update-with-start (a new run) does not need it.
 */
export async function executeUpdateSurvivingTaskFailures<Ret, Args extends unknown[]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret> {
  const updateId = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      return await handle.executeUpdate(update as unknown as UpdateDefinition<Ret, [unknown]>, {
        args: args as unknown as [unknown],
        updateId,
      });
    } catch (err) {
      if (attempt > DROPPED_UPDATE_RETRIES || grpcStatusOf(err) !== grpcStatus.FAILED_PRECONDITION) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
