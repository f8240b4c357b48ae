// `npm run bench`: 1,000 notifications through the real stack (API → Temporal → notifications
// worker → SDKs → sandbox providers → signed callbacks → API), then counted in the sandbox outbox.
// Starts its own throwaway Temporal dev server and FerretDB; touches nothing else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { freePort, startDatabase, startTemporalDevServer, waitUntil } from '../../infra/processes';
import { ensureSearchAttributes, searchAttributeFlags } from '../../adapters/temporal/search-attributes';
import { paths } from '../../infra/tools-paths';
import { notificationsWorkerSpec } from '../../services/notifications-worker/spec';
import { onboardingWorkerSpec } from '../../services/onboarding-worker/spec';
import { CHANNELS, type Channel } from '../../domain/contracts/notify.contract';
import { request } from '../helpers/http';
import { startNotificationsStack } from '../helpers/notifications';

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    channels: { type: 'string', default: CHANNELS.join(',') },
    batch: { type: 'string', default: '100' },
    /** Overrides NOTIFY_MAX_ACTIVITIES_PER_SECOND (the provider rate limit on the task queue). */
    rate: { type: 'string' },
  },
});
const COUNT = Number(opts.count);
const CHOSEN = opts.channels!.split(',') as Channel[];
const BATCH = Number(opts.batch);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const log = (s: string) => process.stdout.write(`[bench] ${s}\n`);

async function main() {
  Runtime.install({ logger: new DefaultLogger(process.env.BENCH_LOG_LEVEL === 'WARN' ? 'WARN' : 'ERROR') });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyc-bench-'));
  const [db, temporal] = await Promise.all([
    startDatabase({ ferretdbPath: paths.ferretdb, dataDir: path.join(dataDir, 'db'), port: await freePort() }),
    startTemporalDevServer({ temporalPath: paths.temporal, port: await freePort(), searchAttributes: searchAttributeFlags() }),
  ]);
  const procs = [temporal.proc, db.proc];
  try {
    const conn = await Connection.connect({ address: temporal.address });
    await waitUntil('search attributes', async () => (await ensureSearchAttributes(conn, 'default'), true), { timeoutMs: 30_000 });
    await conn.close();
    process.env.TEST_MONGODB_URI = db.uri;
    process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
    await run();
  } finally {
    for (const p of procs) await p.stop(5_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run() {
  const n = await startNotificationsStack({
    workers: [onboardingWorkerSpec, notificationsWorkerSpec],
    config: opts.rate ? { NOTIFY_MAX_ACTIVITIES_PER_SECOND: opts.rate } : {},
  });
  // Which operations the run issues, per collection (FerretDB's cost is in the scans).
  const dbOps = new Map<string, number>();
  n.stack.deps.db.set('debug', (collection: string, method: string, filter?: Record<string, unknown>) => {
    const key = `${collection}.${method}(${Array.isArray(filter) ? 'batch' : Object.keys(filter ?? {}).join(',')})`;
    dbOps.set(key, (dbOps.get(key) ?? 0) + 1);
  });
  // Everything but the database and Temporal shares this event loop: its lag is worth reporting.
  let maxLagMs = 0;
  let peakRss = 0;
  let last = performance.now();
  const lagTimer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - 100);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    last = now;
  }, 100);
  try {
    const { models, config } = n.stack.deps;
    log(`${COUNT} notifications × channels ${CHOSEN.join(',')}; ${db()} ; task-queue rate limit ${config.NOTIFY_MAX_ACTIVITIES_PER_SECOND} activities/s`);
    const users = Array.from({ length: COUNT }, (_, i) => ({ email: `bench-${i}@example.test`, phone: `+2348${String(100000000 + i)}`, firstName: 'Bench', status: 'active' }));
    const created = await models.User.insertMany(users);
    await models.UserDevices.insertMany(created.map((u, i) => ({ _id: u._id, devices: [{ _id: `d${i}`, token: `bench-device-${i}`, platform: 'android', createdAt: new Date() }] })));

    const requestedAt = new Map<string, number>();
    const start = Date.now();
    for (let i = 0; i < created.length; i += BATCH) {
      const userIds = created.slice(i, i + BATCH).map((u) => u._id);
      const sentAt = Date.now();
      const res = await request(`${n.stack.url}/users/notifications/kyc`, {
        method: 'POST',
        headers: { authorization: `Bearer ${n.serviceToken}` },
        json: { userIds, status: 'approved', channels: CHOSEN },
      });
      if (res.status !== 202) throw new Error(`POST /users/notifications/kyc answered ${res.status}: ${res.text}`);
      for (const x of res.json.data.notifications as { notificationId: string }[]) requestedAt.set(x.notificationId, sentAt);
    }
    const acceptedMs = Date.now() - start;
    log(`accepted ${requestedAt.size} in ${acceptedMs} ms`);

    const deadline = Date.now() + 25 * 60_000;
    let done = 0;
    while (Date.now() < deadline) {
      done = await models.Notification.countDocuments({ status: { $ne: 'pending' } });
      if (done >= COUNT) break;
      await new Promise((r) => setTimeout(r, 1_000)); // FerretDB scans for this count: poll gently
    }
    const finished = await models.Notification.find({}, { completedAt: 1, status: 1 }).lean();
    const end = Math.max(...finished.map((f) => f.completedAt?.getTime() ?? 0));
    const latencies = finished.filter((f) => f.completedAt && requestedAt.has(f._id)).map((f) => f.completedAt!.getTime() - requestedAt.get(f._id)!).sort((a, b) => a - b);

    // Count what the providers actually delivered, per recipient and channel.
    let lost = 0;
    let duplicated = 0;
    for (const [i, u] of created.entries()) {
      const to: Record<Channel, string> = { email: u.email, sms: u.phone!, push: `bench-device-${i}` };
      for (const channel of CHOSEN) {
        const got = n.outbox.list({ to: to[channel], channel }).length;
        if (got === 0) lost++;
        if (got > 1) duplicated += got - 1;
      }
    }
    await new Promise((r) => setTimeout(r, 1_000)); // let the last callbacks land
    const outcomes = await models.NotificationDeliveryEvent.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$kind', n: { $sum: 1 } } }]);
    const seconds = (end - start) / 1000;
    log(`completed ${done}/${COUNT} notifications (${finished.filter((f) => f.status === 'sent').length} sent) in ${seconds.toFixed(1)} s`);
    log(`outbox: ${n.outbox.count()} messages, expected ${COUNT * CHOSEN.length}; lost = ${lost}, duplicated = ${duplicated}`);
    log(`throughput: ${(COUNT / seconds).toFixed(1)} notifications/s (${((COUNT * CHOSEN.length) / seconds).toFixed(1)} messages/s)`);
    log(`latency request→all channels done: p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${latencies.at(-1)} ms`);
    log(`delivery outcomes recorded: ${outcomes.map((d) => `${d._id} ${d.n}`).join(', ')}`);
    const ops = [...dbOps].sort((a, b) => b[1] - a[1]);
    log(`database operations per notification: ${ops.map(([k, c]) => `${k} ${(c / COUNT).toFixed(2)}`).join('; ')}`);
    log(`max event-loop lag (API + sandbox + workers in one process): ${Math.round(maxLagMs)} ms; peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`);
    if (lost || duplicated || done < COUNT) process.exitCode = 1;
  } finally {
    clearInterval(lagTimer);
    await n.close();
  }
}

const db = () => `database ${process.env.TEST_DATABASE_KIND ?? 'ferretdb/mongod'}`;

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
