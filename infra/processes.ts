import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

import { workerV8Flags } from '../adapters/config/schema';

// Process management shared by the dev stack (`npm start`) and the test harness.

/**
 * The project's own processes, in start order: the dev stack and the bench start these entries.
 * `compiled`: runs from the compiled JavaScript (infra/compiled-sources.ts) rather than through tsx
 * — the long-lived workers, where tsx's per-process memory counts (docs/performance.md).
 */
export const APP_SERVICES = [
  { name: 'sandbox', entry: 'services/sandbox/main.ts', compiled: false },
  { name: 'api', entry: 'services/api/main.ts', compiled: false },
  { name: 'onboarding-worker', entry: 'services/onboarding-worker/main.ts', compiled: true },
  { name: 'kyc-worker', entry: 'services/kyc-worker/main.ts', compiled: true },
  { name: 'notifications-worker', entry: 'services/notifications-worker/main.ts', compiled: true },
] as const;

/**
 * Node's arguments for a service: its compiled file under `compiledDir`, or its source through tsx.
 * Workers start with `WORKER_V8_FLAGS` from `env` (adapters/config/schema.ts: heap sizing for an idle
 * worker under 250 MB, docs/performance.md), so every way of starting them gets the same flags.
 */
export function serviceArgs(svc: (typeof APP_SERVICES)[number], compiledDir: string, env: NodeJS.ProcessEnv): string[] {
  if (!svc.compiled) return ['--import', 'tsx', svc.entry];
  return [
    ...workerV8Flags.parse(env.WORKER_V8_FLAGS || undefined),
    path.join(compiledDir, svc.entry.replace(/\.ts$/, '.js')),
  ];
}

/**
 * glibc's malloc arenas for a worker unless the environment sets its own `MALLOC_ARENA_MAX`. glibc
 * gives each thread that allocates its own arena (up to 8 per core), and a worker's threads (the
 * Rust core's, the workflow thread, libuv's pool) keep what a burst allocated there: measured, the
 * notifications worker idled at 264–268 MiB after 1,000 notifications with the default and 234 MiB with
 * 2, and no CPU cost showed (docs/performance.md, memory). The variable must be in the process's
 * environment at exec: glibc reads it once, before any JavaScript runs.
 */
export const WORKER_MALLOC_ARENA_MAX = '2';

/** The environment a service starts with: the workers' get `MALLOC_ARENA_MAX` (above) unless set. */
export function serviceEnv(svc: (typeof APP_SERVICES)[number], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!svc.compiled || env.MALLOC_ARENA_MAX) return env;
  return { ...env, MALLOC_ARENA_MAX: WORKER_MALLOC_ARENA_MAX };
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has gone. */
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives each output line (stdout and stderr); default: discard. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

const WATCHDOG = path.join(__dirname, 'watchdog.js');

export function spawnManaged(name: string, cmd: string, args: string[], opts: SpawnOptions = {}): ManagedProcess {
  // Every child runs under the watchdog, so nothing outlives us even if we are SIGKILLed.
  const child = spawn(process.execPath, [WATCHDOG, String(process.pid), cmd, ...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const rl = readline.createInterface({ input: child[stream]! });
    rl.on('line', (line) => opts.onLine?.(line, stream));
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it resolves true; fails early if `proc` exits first. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; proc?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let exited = false;
  void opts.proc?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${what}: process exited before it was ready`);
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what}: not ready after ${opts.timeoutMs} ms`);
}

export const tcpOpen = (port: number, host = '127.0.0.1') =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect(port, host);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });

export const httpOk = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;

export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export interface DatabaseServer {
  kind: 'ferretdb' | 'mongod';
  uri: string;
  proc: ManagedProcess;
}

/** Starts FerretDB (SQLite) or, when installed, a real mongod, on `port` with data in `dataDir`. */
export async function startDatabase(opts: {
  ferretdbPath: string;
  dataDir: string;
  port: number;
  onLine?: SpawnOptions['onLine'];
}): Promise<DatabaseServer> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  let proc: ManagedProcess;
  let kind: DatabaseServer['kind'];
  if (onPath('mongod')) {
    kind = 'mongod';
    proc = spawnManaged(
      'mongod',
      'mongod',
      ['--dbpath', opts.dataDir, '--port', String(opts.port), '--bind_ip', '127.0.0.1', '--quiet'],
      { onLine: opts.onLine },
    );
  } else {
    kind = 'ferretdb';
    proc = spawnManaged(
      'ferretdb',
      opts.ferretdbPath,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${opts.dataDir}/`,
        `--listen-addr=127.0.0.1:${opts.port}`,
        `--state-dir=${opts.dataDir}`,
        '--telemetry=disable',
        '--debug-addr=-',
        '--log-level=error', // its WARN level reports every driver `endSessions` it does not implement
      ],
      { onLine: opts.onLine },
    );
  }
  await waitUntil(kind, () => tcpOpen(opts.port), { timeoutMs: 30_000, proc });
  return { kind, uri: `mongodb://127.0.0.1:${opts.port}`, proc };
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  proc: ManagedProcess;
}

/**
 * The dev server's SQLite: write-ahead log and fsync at checkpoints only. Measured in
 * docs/performance.md: about half the server CPU per workflow task of the defaults (rollback
 * journal, fsync per commit). A crash of the machine (not of the process) may lose the last
 * commits, which is the trade a local, single-machine server makes; production runs Temporal on
 * PostgreSQL or Cloud.
 */
export const TEMPORAL_SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=NORMAL'];

/** `temporal server start-dev`: SQLite-backed when `dbFile` is given, in memory otherwise. */
export async function startTemporalDevServer(opts: {
  temporalPath: string;
  port: number;
  uiPort?: number;
  dbFile?: string;
  searchAttributes: Record<string, string>;
  codecEndpoint?: string;
  onLine?: SpawnOptions['onLine'];
}): Promise<TemporalDevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'error'];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  args.push(...TEMPORAL_SQLITE_PRAGMAS.flatMap((p) => ['--sqlite-pragma', p]));
  // Registered at first start; an existing database keeps what it has (ensureSearchAttributes adds the rest).
  for (const [name, type] of Object.entries(opts.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  const proc = spawnManaged('temporal', opts.temporalPath, args, { onLine: opts.onLine });
  await waitUntil('temporal', () => tcpOpen(opts.port), { timeoutMs: 60_000, proc });
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : undefined,
    proc,
  };
}
