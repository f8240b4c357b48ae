// `npx tsx test/bench/analytics-profile.ts <mongodb-uri>/<db> [seed <users> <requests> <transactions>]`:
// where one analytics answer spends its time, read by read (docs/analytics.md "Profile"). Point it
// at a database the read models were built in (or let it seed one); it prints the biggest counter
// documents and the time of each kind of read and of each query function, without HTTP.
import mongoose from 'mongoose';

import { readCounters, rebuildAnalytics } from '../../adapters/analytics/read-model';
import { createModels } from '../../adapters/models';
import * as q from '../../services/api/analytics/analytics-queries';
import { insertDemoData } from '../../services/ops/demo-data';

async function timed(label: string, n: number, fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} p50 ${ms[Math.floor(n / 2)].toFixed(1)} ms, min ${ms[0].toFixed(1)} ms`);
}

async function main() {
  const [uri, mode, ...sizes] = process.argv.slice(2);
  const conn = await mongoose.createConnection(uri).asPromise();
  const models = createModels(conn);
  try {
    if (mode === 'seed') {
      const [users, requests, transactions] = sizes.map(Number);
      let t = Date.now();
      await insertDemoData(models, { users, requests, transactions, tenants: 5, days: 400, seed: 1 });
      console.log(`inserted in ${(Date.now() - t) / 1000} s`);
      t = Date.now();
      console.log(await rebuildAnalytics(models), `rebuilt in ${(Date.now() - t) / 1000} s`);
    }
    const counters = await models.AnalyticsCounter.find({}).lean();
    const sizeOf = (d: (typeof counters)[number]) =>
      typeof d.j === 'string' ? d.j.length : JSON.stringify(d.m ?? {}).length;
    const biggest = counters.map((d) => [d._id, sizeOf(d)] as const).sort((a, b) => b[1] - a[1]);
    console.log(`${counters.length} counter docs; biggest (chars):`, biggest.slice(0, 6));
    const user = await models.User.findOne({}).sort({ _id: -1 }).lean();
    await timed('user by _id (what auth reads)', 10, () => models.User.findById(user!._id).lean());
    await timed('outbox (all pending notes)', 10, () => models.AnalyticsOutbox.find({}, { kind: 1, ref: 1 }).lean());
    await timed('journal by _id', 10, () => models.AnalyticsJournal.findById('current').lean());
    for (const [id] of biggest.slice(0, 3))
      await timed(`counter ${id}`, 5, () => models.AnalyticsCounter.findById(id).lean());
    await timed('readCounters all:users', 10, () => readCounters(models, ['all:users']));
    const f = { scope: 'all', country: null };
    const now = new Date();
    const to = now.toISOString().slice(0, 10);
    const from = new Date(now.getTime() - 364 * 86_400_000).toISOString().slice(0, 10);
    await timed('statusDistribution', 10, () => q.statusDistribution(models, f));
    await timed('activeUsers', 10, () => q.activeUsers(models, f, now));
    await timed('growth (a year by week)', 5, () => q.growth(models, f, { from, to, interval: 'week' }));
    await timed('kycFunnel (a year)', 5, () => q.kycFunnel(models, f, { from, to }));
    await timed('verificationRequests', 5, () => q.verificationRequests(models, f, now));
    await timed('transactionAverages (a year by month)', 5, () =>
      q.transactionAverages(models, f, { from, to, interval: 'month' }),
    );
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
