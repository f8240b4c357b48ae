import { ensureSearchAttributes } from '../../../adapters/temporal/search-attributes';
import { connectTemporal } from '../../../adapters/temporal-client';
import type { OpsCommand } from '../command';

/** Registers the project's custom search attributes on a self-hosted cluster (idempotent). */
export const setupTemporal: OpsCommand = {
  usage: 'register custom search attributes on the configured Temporal namespace',
  options: {},
  async run({ config }) {
    // Safe to close with a call still retrying (adapters/temporal/draining-connection.ts).
    const connection = await connectTemporal(config);
    try {
      const added = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
      return added.length
        ? `registered search attributes: ${added.join(', ')}`
        : 'search attributes already registered';
    } finally {
      await connection.close();
    }
  },
};
