import { Client } from '@temporalio/client';

import type { Config } from './config';
import { createDataConverter } from './data-converter';
import { withTimeout } from './database';
import { DrainingConnection } from './temporal/draining-connection';
import { type TemporalConnectionConfig, temporalConnectionOptions } from './temporal-connection';

/** What a Temporal client needs: where the server is and the payload codec's keys. */
export type TemporalClientConfig = TemporalConnectionConfig &
  Pick<Config, 'PAYLOAD_CODEC_KEYS' | 'PII_ENCRYPTION_KEYS'>;

/**
 * A lazy connection lets the API start (and answer /healthz, /readyz = 503) while Temporal is
 * still coming up; the first real call connects. `client.connection.close()` is safe with calls in
 * flight (temporal/draining-connection.ts): every process closes its client that way.
 */
export function createTemporalClient(config: TemporalClientConfig): Client {
  const connection = DrainingConnection.lazyDraining(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: createDataConverter(config) });
}

export async function pingTemporal(client: Client, timeoutMs = 2_000): Promise<void> {
  await withTimeout(
    client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({})),
    timeoutMs + 500,
    'temporal ping timed out',
  );
}

/** A bare connection (no client), e.g. for operator calls; close() is as safe as the client's. */
export function connectTemporal(config: TemporalConnectionConfig): Promise<DrainingConnection> {
  return DrainingConnection.connectDraining(temporalConnectionOptions(config));
}
