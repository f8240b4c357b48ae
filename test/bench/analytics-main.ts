// `npx tsx test/bench/analytics-main.ts [--users 100000] [--transactions N]`: runs the analytics
// bench scenario alone on throwaway infrastructure (until run.ts runs scenarios by name).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';

import { ensureSearchAttributes, searchAttributeFlags } from '../../adapters/temporal/search-attributes';
import { freePort, startDatabase, startTemporalDevServer, waitUntil } from '../../infra/processes';
import { paths } from '../../infra/tools-paths';
import { analyticsScenario } from './scenarios/analytics';

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-bench-analytics-'));
  const [db, temporal] = await Promise.all([
    startDatabase({ ferretdbPath: paths.ferretdb, dataDir: path.join(dataDir, 'db'), port: await freePort() }),
    startTemporalDevServer({
      temporalPath: paths.temporal,
      port: await freePort(),
      searchAttributes: searchAttributeFlags(),
    }),
  ]);
  try {
    const conn = await Connection.connect({ address: temporal.address });
    await waitUntil('search attributes', async () => (await ensureSearchAttributes(conn, 'default'), true), {
      timeoutMs: 30_000,
    });
    await conn.close();
    const result = await analyticsScenario.run(
      { mongodbUri: db.uri, temporalAddress: temporal.address, dataDir },
      process.argv.slice(2),
    );
    console.table(result.rows);
    for (const n of result.notes ?? []) console.log(n);
  } finally {
    await temporal.proc.stop(5_000);
    await db.proc.stop(5_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`analytics bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
