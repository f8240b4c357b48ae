import fs from 'node:fs';
import path from 'node:path';

import { Connection } from '@temporalio/client';

import { ConfigError, loadConfig } from '../../adapters/config';
import { ensureSearchAttributes, searchAttributeFlags } from '../../adapters/temporal/search-attributes';
import { bundleBuildId } from '../../adapters/temporal/worker-deployment';
import { taskQueues } from '../../domain/task-queues';
import { ensureCompiledSources } from '../compiled-sources';
import {
  APP_SERVICES,
  httpOk,
  isPortFree,
  type ManagedProcess,
  serviceArgs,
  serviceEnv,
  spawnManaged,
  startDatabase,
  startTemporalDevServer,
  waitUntil,
} from '../processes';
import { supervise } from '../supervisor';
import { paths } from '../tools-paths';
import { ensureWorkflowBundle } from '../workflow-bundle';
import { loadDevSecrets } from './dev-secrets';
import { prefixer } from './log-prefix';
import { DEV_DEPLOYMENT_NAME, makeDevVersionCurrent } from './worker-version';
import { checkWorkflowShape } from './workflow-shape';

const EMBEDDED = { databasePort: 27017, temporalPort: 7233, temporalUiPort: 8233 };

/** Anything the runner stops on the way out, in start order. */
const started: { stop(graceMs?: number): Promise<void> }[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stdout.write('\n[dev] stopping…\n');
    // Reverse start order: services first, then Temporal and the database.
    for (const proc of [...started].reverse()) await proc.stop();
    process.stdout.write('[dev] all processes stopped\n');
  }
  process.exit(code);
}

/** Infrastructure (database, Temporal): without it nothing works, so its exit stops the stack. */
function track(proc: ManagedProcess) {
  started.push(proc);
  void proc.exited.then((code) => {
    if (stopping) return;
    process.stderr.write(`[dev] ${proc.name} exited unexpectedly (code ${code}); stopping the stack\n`);
    void stopAll(1);
  });
  return proc;
}

async function requirePort(port: number, what: string, variable: string) {
  if (!(await isPortFree(port))) {
    throw new Error(
      `port ${port} for ${what} is in use: stop what holds it, or set ${variable} to use an existing server`,
    );
  }
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  if (fs.existsSync(path.join(paths.root, '.env'))) process.loadEnvFile(path.join(paths.root, '.env'));

  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
  Object.assign(env, loadDevSecrets(paths.data, env));
  // The sandbox outbox survives restarts of `npm start` (docs/sandbox.md); .env may point it elsewhere.
  env.SANDBOX_OUTBOX_FILE ||= path.join(paths.data, 'sandbox-outbox.jsonl');
  // Fail fast, naming the variable, before starting anything. The bundle is built below, so a
  // WORKER_DEPLOYMENT_NAME from .env is not refused for want of one (adapters/config/index.ts).
  const config = loadConfig({ ...env, WORKFLOW_BUNDLE_PATH: env.WORKFLOW_BUNDLE_PATH || 'built-by-npm-start' });
  // The workers load one prebuilt workflow bundle (rebuilt only when workflows/ or domain/ changed)
  // instead of each running webpack in its own long-lived process, and run compiled JavaScript, not
  // tsx (infra/compiled-sources.ts). Both are made while the infrastructure starts.
  const devLog = (line: string) => process.stdout.write(`[dev] ${line}\n`);
  const bundle = env.WORKFLOW_BUNDLE_PATH
    ? Promise.resolve(env.WORKFLOW_BUNDLE_PATH)
    : ensureWorkflowBundle(paths.root, devLog);
  const compiled = ensureCompiledSources(paths.root, devLog);
  // Awaited below; not unhandled rejections meanwhile.
  bundle.catch(() => {});
  compiled.catch(() => {});

  if (!process.env.MONGODB_URI) {
    await requirePort(EMBEDDED.databasePort, 'the database', 'MONGODB_URI');
    const db = await startDatabase({
      ferretdbPath: paths.ferretdb,
      dataDir: path.join(paths.data, 'db'),
      port: EMBEDDED.databasePort,
      onLine: prefixer('db'),
    });
    track(db.proc);
    env.MONGODB_URI = `${db.uri}/kyc`;
    process.stdout.write(`[dev] ${db.kind} ready on 127.0.0.1:${EMBEDDED.databasePort} (data in .data/db)\n`);
  }

  let uiUrl = process.env.TEMPORAL_UI_URL;
  if (!process.env.TEMPORAL_ADDRESS) {
    // Runs recorded by workflow code this code cannot replay: one line and stop, not a stream of
    // failing workflow tasks (infra/dev-stack/workflow-shape.ts).
    const shape = checkWorkflowShape(paths.data, { reset: process.argv.includes('--reset-workflows') });
    if (!shape.ok) {
      process.stderr.write(`[dev] ${shape.line}\n`);
      return stopAll(1);
    }
    if (shape.note) devLog(shape.note);
    await requirePort(EMBEDDED.temporalPort, 'Temporal', 'TEMPORAL_ADDRESS');
    await requirePort(EMBEDDED.temporalUiPort, 'the Temporal UI', 'TEMPORAL_ADDRESS');
    const temporal = await startTemporalDevServer({
      temporalPath: paths.temporal,
      port: EMBEDDED.temporalPort,
      uiPort: EMBEDDED.temporalUiPort,
      dbFile: path.join(paths.data, 'temporal.db'),
      searchAttributes: searchAttributeFlags(),
      // The UI decrypts payloads through the API's codec server; it cannot send a token, so its
      // endpoint carries this stack's secret key (.data/dev-secrets.json), which other local
      // processes do not know. Every other codec request needs an operator's token.
      codecEndpoint: `http://localhost:${config.PORT}/codec${config.CODEC_UI_KEY ? `/ui/${config.CODEC_UI_KEY}` : ''}`,
      onLine: prefixer('temporal'),
    });
    track(temporal.proc);
    env.TEMPORAL_ADDRESS = temporal.address;
    uiUrl = temporal.uiUrl;
  }
  await registerSearchAttributes(env.TEMPORAL_ADDRESS!, config.TEMPORAL_NAMESPACE);
  env.WORKFLOW_BUNDLE_PATH = await bundle;
  // The workflow workers poll as a Worker Deployment Version (README, "Upgrading workers"); the
  // build id is derived from the bundle unless .env pins one.
  env.WORKER_DEPLOYMENT_NAME ||= DEV_DEPLOYMENT_NAME;
  const compiledDir = await compiled;

  // Services are restarted when they die (with backoff and a [dev] line): a crashed worker never
  // takes Temporal or the database down, and its workflows resume when it is back.
  for (const svc of APP_SERVICES) {
    const start = () =>
      spawnManaged(svc.name, process.execPath, serviceArgs(svc, compiledDir, env), {
        cwd: paths.root,
        env: serviceEnv(svc, env),
        onLine: prefixer(svc.name),
      });
    started.push(supervise(svc.name, start, { log: (line) => process.stderr.write(`[dev] ${line}\n`) }));
    if (svc.name === 'sandbox')
      await waitUntil('sandbox', () => httpOk(`${config.SANDBOX_URL}/healthz`), { timeoutMs: 30_000 });
  }
  const apiUrl = `http://localhost:${config.PORT}`;
  await waitUntil('api', () => httpOk(`${apiUrl}/readyz`), { timeoutMs: 60_000 });
  const queues = taskQueues(config.TASK_QUEUE_PREFIX);
  await makeDevVersionCurrent({
    address: env.TEMPORAL_ADDRESS!,
    namespace: config.TEMPORAL_NAMESPACE,
    version: {
      deploymentName: env.WORKER_DEPLOYMENT_NAME,
      buildId: env.WORKER_BUILD_ID || bundleBuildId(env.WORKFLOW_BUNDLE_PATH),
    },
    // The queues of the workers that host workflows; the kyc worker polls unversioned.
    taskQueues: [queues.onboarding, queues.notifications],
    log: devLog,
  });

  process.stdout.write(
    [
      '',
      '  KYC orchestrator is running',
      `  API            ${apiUrl}   (docs ${apiUrl}/docs, spec ${apiUrl}/openapi.json)`,
      `  Temporal UI    ${uiUrl ?? '(external Temporal: see its UI)'}`,
      `  Sandbox        ${config.SANDBOX_URL}   (outbox ${config.SANDBOX_URL}/outbox)`,
      `  Temporal gRPC  ${env.TEMPORAL_ADDRESS}`,
      `  Operator token in .data/dev-secrets.json (OPS_TOKEN)`,
      '  Ctrl-C stops everything; data is kept in .data/',
      '',
    ].join('\n') + '\n',
  );
}

async function registerSearchAttributes(address: string, namespace: string) {
  const connection = await Connection.connect({ address });
  try {
    await waitUntil(
      'temporal search attributes',
      async () => {
        const added = await ensureSearchAttributes(connection, namespace);
        if (added.length) process.stdout.write(`[dev] registered search attributes: ${added.join(', ')}\n`);
        return true;
      },
      { timeoutMs: 30_000 },
    );
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(
    `[dev] ${err instanceof ConfigError ? err.message : `failed: ${err instanceof Error ? err.message : String(err)}`}\n`,
  );
  void stopAll(1);
});
