import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Connection } from '@temporalio/client';

import { ensureSearchAttributes, searchAttributeFlags } from '../../adapters/temporal/search-attributes';
import { freePort, type ManagedProcess, startDatabase, startTemporalDevServer, waitUntil } from '../../infra/processes';
import { paths } from '../../infra/tools-paths';

// Throwaway servers on free ports: tests never touch a developer's running stack.
export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-test-'));
  const [dbPort, temporalPort] = [await freePort(), await freePort()];
  const [db, temporal] = await Promise.all([
    startDatabase({ ferretdbPath: paths.ferretdb, dataDir: path.join(dataDir, 'db'), port: dbPort }),
    startTemporalDevServer({
      temporalPath: paths.temporal,
      port: temporalPort,
      searchAttributes: searchAttributeFlags(),
    }),
  ]);
  const connection = await Connection.connect({ address: temporal.address });
  await waitUntil('search attributes', async () => (await ensureSearchAttributes(connection, 'default'), true), {
    timeoutMs: 30_000,
  });
  await connection.close();

  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_DATABASE_KIND = db.kind;
  (globalThis as Record<string, unknown>).__testInfra = {
    procs: [temporal.proc, db.proc] as ManagedProcess[],
    dataDir,
  };
}
