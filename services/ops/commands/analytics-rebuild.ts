import { createTemporalClient } from '../../../adapters/temporal-client';
import { rebuildThroughRoller } from '../../common/analytics-roller';
import type { OpsCommand } from '../command';

/** Reconcile: the analytics roller rebuilds every read model from the raw collections. */
export const analyticsRebuild: OpsCommand = {
  usage: '',
  options: {},
  async run({ config }) {
    const client = createTemporalClient(config);
    const started = Date.now();
    try {
      await rebuildThroughRoller(client, config);
    } finally {
      await client.connection.close();
    }
    return `analytics read models rebuilt in ${((Date.now() - started) / 1000).toFixed(1)}s`;
  },
};
