import path from 'node:path';

import { ensureCompiledSources } from '../../infra/compiled-sources';
import { loadDevSecrets } from '../../infra/dev-stack/dev-secrets';
import {
  APP_SERVICES,
  freePort,
  httpOk,
  type ManagedProcess,
  serviceArgs,
  serviceEnv,
  spawnManaged,
  waitUntil,
} from '../../infra/processes';
import { paths } from '../../infra/tools-paths';
import { ensureWorkflowBundle } from '../../infra/workflow-bundle';
import { sampleRss, type Tracked } from './proc-stats';
import type { BenchInfra } from './scenario';

// The system as `npm start` runs it (one process per service, on the bench's throwaway Temporal
// and database), plus the bare baselines as their own processes, so each is measured alone.
// Started once per bench run, on first use, and shared by the scenarios.

export interface AppStack {
  apiUrl: string;
  sandboxUrl: string;
  bareUrl: string;
  env: NodeJS.ProcessEnv;
  /** Every process of the project and of the baseline, for CPU and memory figures. */
  processes: Tracked[];
  projectProcesses: Tracked[];
  /** Peak RSS per process since the stack was ready (sampled every 250 ms). */
  peakRss(): Record<string, number>;
  close(): Promise<void>;
}

let running: Promise<AppStack> | undefined;
const owned: ManagedProcess[] = [];

const failOnExit = (proc: ManagedProcess) => {
  void proc.exited.then((code) => {
    if (!closing) process.stderr.write(`[bench] ${proc.name} exited (code ${code})\n`);
  });
  return proc;
};
let closing = false;

export function appStack(infra: BenchInfra): Promise<AppStack> {
  running ??= start(infra);
  return running;
}

let stopSampler = () => {};
export async function closeAppStack(): Promise<void> {
  closing = true;
  stopSampler();
  for (const p of owned.reverse()) await p.stop(10_000);
}

async function start(infra: BenchInfra): Promise<AppStack> {
  const [apiPort, sandboxPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
    MONGODB_URI: `${infra.mongodbUri}/kyc_bench`,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    PORT: String(apiPort),
    API_PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
    // The scenarios sign up, sign in and resend thousands of times from one address (and the same
    // bench email prefix); the limiters still run, with limits the load cannot reach.
    RATE_LIMIT_LOGIN_PER_IP: '100000000',
    RATE_LIMIT_REGISTER_PER_IP: '100000000',
    RATE_LIMIT_REGISTER_PER_EMAIL: '100000000',
    RATE_LIMIT_RESEND_PER_IP: '100000000',
    RATE_LIMIT_RESEND_PER_EMAIL: '100000000',
    RATE_LIMIT_CONFIRM_PER_IP: '100000000',
    RATE_LIMIT_CONFIRM_PER_EMAIL: '100000000',
    RATE_LIMIT_REFRESH_PER_IP: '100000000',
    BARE_PORT: String(barePort),
    BARE_MONGODB_URI: `${infra.mongodbUri}/bare_bench`,
    // As `npm start` runs them: the workers load one prebuilt bundle, no webpack in their processes.
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH ?? (await ensureWorkflowBundle(paths.root)),
  };
  Object.assign(env, loadDevSecrets(infra.dataDir, env));
  const lines: string[] = [];
  const keep = (name: string) => (line: string) => {
    lines.push(`[${name}] ${line}`);
    if (lines.length > 200) lines.shift();
    if (process.env.BENCH_VERBOSE) process.stdout.write(`[${name}] ${line}\n`);
  };
  const spawnNode = (name: string, args: string[], procEnv: NodeJS.ProcessEnv = env) => {
    const proc = failOnExit(
      spawnManaged(name, process.execPath, args, { cwd: paths.root, env: procEnv, onLine: keep(name) }),
    );
    owned.push(proc);
    return proc;
  };
  const spawnTs = (name: string, entry: string) => spawnNode(name, ['--import', 'tsx', entry]);
  // As `npm start` runs them: the workers from compiled JavaScript, the rest through tsx.
  const compiledDir = await ensureCompiledSources(paths.root);
  const procs = APP_SERVICES.map((s) => spawnNode(s.name, serviceArgs(s, compiledDir, env), serviceEnv(s, env)));
  const bare = spawnTs('bare-server', path.join('test/bench/baselines/bare-server.ts'));
  const bareWorker = spawnTs('bare-worker', path.join('test/bench/baselines/bare-worker.ts'));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  try {
    await waitUntil('sandbox', () => httpOk(`${env.SANDBOX_URL}/healthz`), { timeoutMs: 120_000, proc: procs[0] });
    await waitUntil('api', () => httpOk(`${apiUrl}/readyz`), { timeoutMs: 120_000, proc: procs[1] });
    await waitUntil('bare server', () => httpOk(`http://127.0.0.1:${barePort}/healthz`), {
      timeoutMs: 120_000,
      proc: bare,
    });
    await waitForWorkers(apiUrl, env.OPS_TOKEN!);
  } catch (err) {
    process.stderr.write(lines.join('\n') + '\n');
    throw err;
  }
  const projectProcesses: Tracked[] = [
    ...APP_SERVICES.map((s, i) => ({ name: s.name, pid: procs[i].child.pid! })),
    { name: 'temporal', pid: infra.pids?.temporal ?? 0 },
    { name: 'database', pid: infra.pids?.database ?? 0 },
  ];
  const processes = [
    ...projectProcesses,
    { name: 'bare-server', pid: bare.child.pid! },
    { name: 'bare-worker', pid: bareWorker.child.pid! },
  ];
  const sampler = sampleRss(processes);
  stopSampler = () => void sampler.stop();
  return {
    apiUrl,
    sandboxUrl: env.SANDBOX_URL!,
    bareUrl: `http://127.0.0.1:${barePort}`,
    env,
    projectProcesses,
    processes,
    peakRss: () => sampler.peek(),
    close: closeAppStack,
  };
}

/** The operator probe answers from every worker's queue once all workers poll (bundles built). */
async function waitForWorkers(apiUrl: string, opsToken: string) {
  const headers = { authorization: `Bearer ${opsToken}`, 'content-type': 'application/json' };
  const started = await fetch(`${apiUrl}/ops/probes`, { method: 'POST', headers, body: '{}' });
  if (started.status !== 202) throw new Error(`probe: ${started.status} ${await started.text()}`);
  const { probeId } = ((await started.json()) as { data: { probeId: string } }).data;
  await waitUntil(
    'workers (pipeline probe)',
    async () => {
      const r = await fetch(`${apiUrl}/ops/probes/${probeId}`, { headers });
      const status = ((await r.json()) as { data?: { status?: string } }).data?.status;
      if (status === 'failed' || status === 'timed_out') throw new Error(`probe ${status}`);
      return status === 'completed';
    },
    { timeoutMs: 180_000 },
  );
}
