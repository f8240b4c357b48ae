import fs from 'node:fs';

import type { Config } from './config';

/**
 * Connection options shared by the client (API) and the workers. Local dev needs none of the
 * optional parts; Temporal Cloud needs TLS plus either an API key or an mTLS certificate pair.
 */
export type TemporalConnectionConfig = Pick<
  Config,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT_PATH'
  | 'TEMPORAL_TLS_KEY_PATH'
>;

export function temporalConnectionOptions(config: TemporalConnectionConfig) {
  const mtls =
    config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
      ? {
          clientCertPair: {
            crt: fs.readFileSync(config.TEMPORAL_TLS_CERT_PATH),
            key: fs.readFileSync(config.TEMPORAL_TLS_KEY_PATH),
          },
        }
      : undefined;
  const tlsWanted = config.TEMPORAL_TLS ?? Boolean(mtls || config.TEMPORAL_API_KEY);
  return {
    address: config.TEMPORAL_ADDRESS,
    tls: tlsWanted ? (mtls ?? true) : false,
    apiKey: config.TEMPORAL_API_KEY,
    metadata: config.TEMPORAL_API_KEY ? { 'temporal-namespace': config.TEMPORAL_NAMESPACE } : undefined,
  } as const;
}
