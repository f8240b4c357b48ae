import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

import { parseKeyring } from '../../adapters/crypto/keyring';
import { createDataConverter } from '../../adapters/data-converter';
import { DrainingConnection } from '../../adapters/temporal/draining-connection';
import { addSearchAttributes } from '../../adapters/temporal/search-attributes';
import { paths } from '../../infra/tools-paths';
import { TEST_SECRETS } from './config';

/** The production data converter (payload encryption) with the fixed test keys. */
export function testDataConverter(): DataConverter {
  return createDataConverter({ PII_ENCRYPTION_KEYS: parseKeyring(TEST_SECRETS.PII_ENCRYPTION_KEYS, 32) });
}

/**
 * Time-skipping environment on the installed test server binary (no download), with the
 * custom search attributes registered so workflows that upsert them can run. Pass
 * `dataConverter` (e.g. testDataConverter()) to encrypt payloads like production; workers of
 * that environment must then use the same converter.
 */
export async function createTimeSkippingEnv(
  opts: { dataConverter?: DataConverter } = {},
): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: paths.temporalTestServer } },
    client: opts.dataConverter ? { dataConverter: opts.dataConverter } : undefined,
  });
  // The test server starts without our custom search attributes (it cannot list them, only add).
  await addSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file and shared by its workers. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietBundlerLogger });
  return bundle;
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

export async function connectTestTemporal(address = process.env.TEST_TEMPORAL_ADDRESS!) {
  // Like the services' client: closing it with a call in retry backoff cannot throw from the timer.
  const connection = await DrainingConnection.connectDraining({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  // Same payload encryption as the services, so this client can read what they wrote.
  const client = new Client({ connection, dataConverter: testDataConverter() });
  return {
    client,
    nativeConnection,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}
