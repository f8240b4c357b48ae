// `npm run bench [-- name …] [--option value …]`: starts a throwaway Temporal dev server (SQLite
// file, as `npm start` runs it) and database once, runs the named scenarios (all by default),
// prints each one's table of project vs bare baseline and writes bench/results/<date>.json.
// Scenarios are the modules in test/bench/scenarios/ exporting a `Scenario` as `scenario`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';

import { ensureSearchAttributes, searchAttributeFlags } from '../../adapters/temporal/search-attributes';
import { freePort, startDatabase, startTemporalDevServer, waitUntil } from '../../infra/processes';
import { paths } from '../../infra/tools-paths';
import { closeAppStack } from './app-stack';
import { closeJourneyClient } from './journey-steps';
import type { BenchInfra, BenchRow, Scenario, ScenarioResult } from './scenario';

/** Run order when all are asked for; a scenario not listed here (added later) runs after these. */
const ORDER = ['register', 'login', 'webhook-ack', 'journey', 'cpu', 'memory', 'notifications', 'reminders'];
const SCENARIO_DIR = path.join(__dirname, 'scenarios');

async function discover(): Promise<Map<string, Scenario>> {
  const found = new Map<string, Scenario>();
  for (const file of fs
    .readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const mod = await import(path.join(SCENARIO_DIR, file));
    const scenario: Scenario | undefined =
      mod.scenario ??
      mod.default ??
      Object.values(mod).find((v): v is Scenario => typeof (v as Scenario)?.run === 'function');
    if (scenario) found.set(scenario.name, scenario);
  }
  return found;
}

const log = (s: string) => process.stdout.write(`[bench] ${s}\n`);
const cell = (v: BenchRow[keyof BenchRow]) =>
  v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v);

function printTable(result: ScenarioResult) {
  const head = ['metric', 'project', 'baseline', 'ratio', 'unit'];
  const rows = result.rows.map((r) => [r.metric, cell(r.project), cell(r.baseline), cell(r.ratio), r.unit ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cols: string[]) => '| ' + cols.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  process.stdout.write(
    `\n## ${result.name}\n${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`,
  );
  for (const n of result.notes ?? []) process.stdout.write(`  - ${n}\n`);
  process.stdout.write('\n');
}

async function main() {
  const argv = process.argv.slice(2);
  const firstOption = argv.findIndex((a) => a.startsWith('--'));
  const names = firstOption === -1 ? argv : argv.slice(0, firstOption);
  const args = firstOption === -1 ? [] : argv.slice(firstOption);
  const all = await discover();
  const unknown = names.filter((n) => !all.has(n));
  if (unknown.length) {
    process.stderr.write(`unknown scenario(s) ${unknown.join(', ')}; known: ${[...all.keys()].join(', ')}\n`);
    process.exit(2);
  }
  const ordered = [...all.keys()].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  const chosen = (names.length ? names : ordered).map((n) => all.get(n)!);

  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-bench-'));
  const [db, temporal] = await Promise.all([
    startDatabase({ ferretdbPath: paths.ferretdb, dataDir: path.join(dataDir, 'db'), port: await freePort() }),
    startTemporalDevServer({
      temporalPath: paths.temporal,
      port: await freePort(),
      dbFile: path.join(dataDir, 'temporal.db'),
      searchAttributes: searchAttributeFlags(),
    }),
  ]);
  const results: (ScenarioResult & { seconds: number })[] = [];
  let failed = false;
  try {
    const conn = await Connection.connect({ address: temporal.address });
    await waitUntil('search attributes', async () => (await ensureSearchAttributes(conn, 'default'), true), {
      timeoutMs: 30_000,
    });
    await conn.close();
    const infra: BenchInfra = {
      mongodbUri: db.uri,
      temporalAddress: temporal.address,
      dataDir,
      pids: { temporal: temporal.proc.child.pid!, database: db.proc.child.pid! },
    };
    log(
      `database ${db.kind}, Temporal dev server on a SQLite file; scenarios: ${chosen.map((s) => s.name).join(', ')}`,
    );
    for (const s of chosen) {
      log(`${s.name}: ${s.description}`);
      const t0 = Date.now();
      try {
        const result = await s.run(infra, args);
        results.push({ ...result, seconds: Math.round((Date.now() - t0) / 1000) });
        printTable(result);
      } catch (err) {
        failed = true;
        log(`${s.name} FAILED: ${err instanceof Error ? err.stack : String(err)}`);
        results.push({
          name: s.name,
          rows: [],
          notes: [`failed: ${err instanceof Error ? err.message : String(err)}`],
          seconds: Math.round((Date.now() - t0) / 1000),
        });
      }
    }
  } finally {
    await closeJourneyClient();
    await closeAppStack();
    for (const p of [temporal.proc, db.proc]) await p.stop(5_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const out = path.join(paths.root, 'bench', 'results', `${new Date().toISOString().slice(0, 10)}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadavg: os.loadavg(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  // Scenarios run alone replace their own entry in the day's file and keep the others.
  let earlier: { results?: (ScenarioResult & { at?: string })[] } = {};
  try {
    earlier = JSON.parse(fs.readFileSync(out, 'utf8'));
  } catch {
    /* first run of the day */
  }
  const at = new Date().toISOString();
  const merged = [
    ...(earlier.results ?? []).filter((r) => !results.some((x) => x.name === r.name)),
    ...results.map((r) => ({ ...r, at, args })),
  ];
  fs.writeFileSync(out, JSON.stringify({ at, machine, results: merged }, null, 2) + '\n');
  log(`results written to ${path.relative(paths.root, out)}`);
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
