import os from 'node:os';

import {
  DefaultLogger,
  type LogLevel,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';

import { type Config, loadConfig, type ProcessConfig, type ProcessName } from '../../adapters/config';
import { createDataConverter } from '../../adapters/data-converter';
import { connectDatabase } from '../../adapters/database';
import { createLogger, type Logger } from '../../adapters/logger';
import { createModels, ensureIndexes, type Models } from '../../adapters/models';
import { workerDeploymentOptions, workerDeploymentVersion } from '../../adapters/temporal/worker-deployment';
import { type TemporalConnectionConfig, temporalConnectionOptions } from '../../adapters/temporal-connection';
import { type QueueName, taskQueues } from '../../domain/task-queues';

export type WorkerProcessName = Extract<ProcessName, `${string}-worker`>;

/** What every worker needs from config to connect and poll, whichever process it is. */
type WorkerBaseConfig = Pick<
  Config,
  | 'TEMPORAL_NAMESPACE'
  | 'TASK_QUEUE_PREFIX'
  | 'WORKFLOW_BUNDLE_PATH'
  | 'WORKER_MAX_CACHED_WORKFLOWS'
  | 'PAYLOAD_CODEC_KEYS'
  | 'PII_ENCRYPTION_KEYS'
> &
  // Only the workflow workers read these (adapters/config/processes.ts): absent = unversioned.
  Partial<Pick<Config, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>>;

/** What a worker process needs to start: logging, the database, the Temporal connection. */
type WorkerRuntimeConfig = Pick<Config, 'LOG_LEVEL' | 'MONGODB_URI'> & TemporalConnectionConfig;

export interface WorkerDeps<C = Config> {
  /** Only this worker process's sections (adapters/config/processes.ts); tests pass every section. */
  config: C;
  logger: Logger;
  models: Models;
}

export interface WorkerProcessSpec<P extends WorkerProcessName = WorkerProcessName> {
  /** Also the process name its configuration is loaded for. */
  name: P;
  queue: QueueName;
  /** The onboarding and notifications workers host workflow code (one shared bundle); the kyc worker runs activities only. */
  hostsWorkflows: boolean;
  buildActivities: (deps: WorkerDeps<ProcessConfig<P>>) => object;
  /** Provider rate limits live on the task queue, not in hand-written throttles. */
  maxTaskQueueActivitiesPerSecond?: (config: ProcessConfig<P>) => number | undefined;
  /** Start-up work of a worker process (not run by tests' createWorker), e.g. ensuring Schedules. */
  onStart?: (deps: WorkerDeps<ProcessConfig<P>>) => Promise<void>;
}

function workflowSource(
  config: Pick<Config, 'WORKFLOW_BUNDLE_PATH'>,
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  // Production starts load the prebuilt bundle (`npm run build`); development bundles from source.
  if (config.WORKFLOW_BUNDLE_PATH) return { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: require.resolve('../../workflows') };
}

/**
 * A workflow worker with WORKER_DEPLOYMENT_NAME polls as one Worker Deployment Version
 * (docs/architecture.md, "Versioning"); without it, and always for the activities-only kyc worker,
 * unversioned. Activities of a pinned run on the kyc queue go to whichever kyc worker polls: their
 * contract must stay compatible across versions, as it must for retries anyway.
 */
function versioning(spec: WorkerProcessSpec, config: WorkerBaseConfig): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  const version = spec.hostsWorkflows ? workerDeploymentVersion(config) : undefined;
  return version ? { workerDeploymentOptions: workerDeploymentOptions(version) } : {};
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
export async function createWorker<P extends WorkerProcessName>(
  spec: WorkerProcessSpec<P>,
  deps: WorkerDeps<ProcessConfig<P> & WorkerBaseConfig>,
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
    ...(spec.hostsWorkflows
      ? { ...workflowSource(deps.config), maxCachedWorkflows: deps.config.WORKER_MAX_CACHED_WORKFLOWS }
      : {}),
    ...versioning(spec as WorkerProcessSpec, deps.config),
    ...overrides,
  });
}

/** How long a stopping worker waits for its start-up task (ensuring Schedules) before closing. */
const START_UP_TASK_GRACE_MS = 10_000;

async function settledWithin(task: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([task, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A worker process: config, database, Temporal connection, run until SIGINT/SIGTERM, close. */
export async function runWorkerProcess<P extends WorkerProcessName>(spec: WorkerProcessSpec<P>): Promise<void> {
  // Every worker's sections include core, security and codec (processes.ts), so these keys exist.
  const config = loadConfig(process.env, spec.name) as ProcessConfig<P> & WorkerBaseConfig & WorkerRuntimeConfig;
  const logger = createLogger({ level: config.LOG_LEVEL, name: spec.name });
  installRuntimeLogger(logger);
  const db = await connectDatabase(config.MONGODB_URI);
  const models = createModels(db);
  await ensureIndexes(models);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const worker = await createWorker(spec, { config, logger, models }, connection);
  const version = worker.options.workerDeploymentOptions?.version;
  logger.info({ taskQueue: worker.options.taskQueue, deploymentVersion: version ?? 'unversioned' }, 'worker started');
  // Failing here must not stop the worker: the ops command can do the same later.
  const startUp = spec.onStart?.({ config, logger, models }).catch((err: unknown) => {
    logger.warn({ err }, 'worker start-up task failed');
  });
  // Runtime's default shutdown signals (SIGINT, SIGTERM) drain in-flight tasks before run() resolves.
  await worker.run();
  // The start-up task may still be writing (its own Temporal client, the database): the database
  // closes after it, bounded so a Temporal that never answers cannot hold the shutdown.
  if (startUp) await settledWithin(startUp, START_UP_TASK_GRACE_MS);
  await connection.close();
  await db.close();
  logger.info('worker stopped');
}

export function mainWorker<P extends WorkerProcessName>(spec: WorkerProcessSpec<P>): void {
  runWorkerProcess(spec).catch((err) => {
    process.stderr.write(`${spec.name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
