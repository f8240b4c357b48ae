import os from 'node:os';

import { Context } from '@temporalio/activity';

import type { Models } from '../../adapters/models';

export interface SystemActivityDeps {
  models: Pick<Models, 'SystemProbe'>;
}

export function createSystemActivities({ models }: SystemActivityDeps) {
  return {
    /** Records that the worker polling this activity's task queue is alive. Idempotent per queue. */
    async recordProbeHop(input: { probeId: string }): Promise<{ taskQueue: string; workerIdentity: string }> {
      const { taskQueue } = Context.current().info;
      const workerIdentity = `${process.pid}@${os.hostname()}`;
      await models.SystemProbe.updateOne(
        { _id: input.probeId },
        { $set: { [`hops.${taskQueue}`]: { workerIdentity, at: new Date() } } },
      );
      return { taskQueue, workerIdentity };
    },

    async completeProbe(input: { probeId: string }): Promise<void> {
      await models.SystemProbe.updateOne({ _id: input.probeId }, { $set: { completedAt: new Date() } });
    },
  };
}

export type SystemActivities = ReturnType<typeof createSystemActivities>;
