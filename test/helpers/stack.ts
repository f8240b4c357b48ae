import type { Worker } from '@temporalio/worker';

import type { Config } from '../../adapters/config';
import { createLogger } from '../../adapters/logger';
import { createTemporalClient } from '../../adapters/temporal-client';
import { createApp } from '../../services/api/app';
import type { ApiDeps } from '../../services/api/deps';
import { apiWebhookSignals } from '../../services/api/webhooks/webhook-signals';
import { createWorker, type WorkerProcessSpec } from '../../services/common/worker-runner';
import { testConfig } from './config';
import { createTestDatabase } from './database';
import { listen } from './http';
import { checkResponsesOf } from './response-conformance';
import { connectTestTemporal, workflowBundle } from './temporal';

/** Tests hold the whole configuration: the API and the workers they start each take their part. */
export type TestDeps = Omit<ApiDeps, 'config'> & { config: Config };

export interface TestStack {
  url: string;
  /** The API's deps, with every config section (the test stack runs every process in one place). */
  deps: TestDeps;
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * The real system in one process: API on a free port, the given workers polling this file's
 * task queues on the harness's Temporal server, a database of its own.
 */
export async function startTestStack(
  opts: { workers?: WorkerProcessSpec[]; config?: Record<string, string>; port?: number } = {},
): Promise<TestStack> {
  const config = testConfig(opts.config);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'test' });
  const db = await createTestDatabase(config.MONGODB_URI);
  const temporalConn = await connectTestTemporal(config.TEMPORAL_ADDRESS);
  const deps: TestDeps = { config, logger, db: db.conn, models: db.models, temporal: createTemporalClient(config) };

  const workers: Worker[] = [];
  for (const spec of opts.workers ?? []) {
    const overrides = spec.hostsWorkflows ? { workflowBundle: await workflowBundle(), workflowsPath: undefined } : {};
    workers.push(await createWorker(spec, deps, temporalConn.nativeConnection, overrides));
  }
  const running = workers.map((w) => w.run());
  // The API's webhook dispatcher, held here so close() stops it before the Temporal connection
  // closes, the order the API's own shutdown keeps (stop intake, then close clients). Closing the
  // client is safe with signals in flight anyway (adapters/temporal/draining-connection.ts). Apps a
  // test builds from `deps` get their own, as before.
  const webhookSignals = apiWebhookSignals(deps);
  const app = createApp({ ...deps, webhookSignals });
  const server = await listen(app, opts.port);
  // Every response this API gives in a test is checked against its documented schema (helpers/http.ts).
  checkResponsesOf(server.url, app.locals.openApiRegistry);

  return {
    url: server.url,
    deps,
    workers,
    async close() {
      await server.close();
      await webhookSignals.stop();
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.allSettled(running);
      await deps.temporal.connection.close();
      await temporalConn.close();
      await db.close();
    },
  };
}
