import os from 'node:os';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../../adapters/config';
import { connectDatabase } from '../../adapters/database';
import { createDataConverter } from '../../adapters/data-converter';
import { loadConfig } from '../../adapters/config';
import { createLogger, type Logger } from '../../adapters/logger';
import { createModels, ensureIndexes, type Models } from '../../adapters/models';
import { taskQueues, type QueueName } from '../../domain/task-queues';
import { temporalConnectionOptions } from '../../adapters/temporal-connection';

export interface WorkerDeps {
  config: Config;
  logger: Logger;
  models: Models;
}

export interface WorkerProcessSpec {
  name: string;
  queue: QueueName;
  /** The onboarding and notifications workers host workflow code (one shared bundle); the kyc worker runs activities only. */
  hostsWorkflows: boolean;
  buildActivities: (deps: WorkerDeps) => object;
  /** Provider rate limits live on the task queue, not in hand-written throttles. */
  maxTaskQueueActivitiesPerSecond?: (config: Config) => number | undefined;
  /** Start-up work of a worker process (not run by tests' createWorker), e.g. ensuring Schedules. */
  onStart?: (deps: WorkerDeps) => Promise<void>;
}

function workflowSource(config: Config): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  // Production starts load the prebuilt bundle (`npm run build`); development bundles from source.
  if (config.WORKFLOW_BUNDLE_PATH) return { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: require.resolve('../../workflows') };
}

function installRuntimeLogger(logger: Logger) {
  Runtime.install({
    logger: new DefaultLogger('INFO' as LogLevel, (entry) => {
      const level = entry.level.toLowerCase() as 'info';
      const fn = (logger[level] ?? logger.info).bind(logger);
      fn({ ...entry.meta }, entry.message);
    }),
  });
}

/** `overrides` lets tests share one prebuilt workflow bundle across workers. */
export async function createWorker(
  spec: WorkerProcessSpec,
  deps: WorkerDeps,
  connection: NativeConnection,
  overrides: Partial<WorkerOptions> = {},
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: deps.config.TEMPORAL_NAMESPACE,
    taskQueue: taskQueues(deps.config.TASK_QUEUE_PREFIX)[spec.queue],
    identity: `${spec.name}-${process.pid}@${os.hostname()}`,
    activities: spec.buildActivities(deps),
    dataConverter: createDataConverter(deps.config),
    maxTaskQueueActivitiesPerSecond: spec.maxTaskQueueActivitiesPerSecond?.(deps.config),
    ...(spec.hostsWorkflows ? workflowSource(deps.config) : {}),
    ...overrides,
  });
}

/** A worker process: config, database, Temporal connection, run until SIGINT/SIGTERM, close. */
export async function runWorkerProcess(spec: WorkerProcessSpec): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, name: spec.name });
  installRuntimeLogger(logger);
  const db = await connectDatabase(config.MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await createWorker(spec, { config, logger, models }, connection);
  logger.info({ taskQueue: worker.options.taskQueue }, 'worker started');
  // Failing here must not stop the worker: the ops command can do the same later.
  spec.onStart?.({ config, logger, models }).catch((err) => logger.warn({ err }, 'worker start-up task failed'));
  // Runtime's default shutdown signals (SIGINT, SIGTERM) drain in-flight tasks before run() resolves.
  await worker.run();
  await connection.close();
  await db.close();
  logger.info('worker stopped');
}

export function mainWorker(spec: WorkerProcessSpec): void {
  runWorkerProcess(spec).catch((err) => {
    process.stderr.write(`${spec.name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
