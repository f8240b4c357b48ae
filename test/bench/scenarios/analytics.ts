// Analytics at scale: seeds users / verification requests / transactions in bulk, builds the read
// models, then times every analytics endpoint over HTTP next to the same question answered by a
// plain collection scan ($group over the raw collection, the portable aggregation subset).
import { parseArgs } from 'node:util';

import { rebuildAnalytics } from '../../../adapters/analytics/read-model';
import { insertDemoData } from '../../../services/ops/demo-data';
import { progressBar } from '../../../services/ops/progress-bar';
import { request } from '../../helpers/http';
import { bearer, login, userWithPassword } from '../../helpers/identity';
import { startTestStack } from '../../helpers/stack';
import type { BenchInfra, BenchRow, Scenario } from '../scenario';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const log = (s: string) => process.stdout.write(`[analytics] ${s}\n`);

async function timed(times: number, fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b);
}

export const analyticsScenario: Scenario = {
  name: 'analytics',
  description:
    'p50/p95 of the nine /users/analytics endpoints (default 10k users; --users/--requests/--transactions), next to plain collection scans',
  async run(infra: BenchInfra, args: string[]) {
    const { values } = parseArgs({
      args,
      strict: false,
      // Bounded by default (a few minutes from a fresh clone); `--users 100000 --requests 20000
      // --transactions 1000000` is the size issue 14 names (docs/analytics.md has the figures).
      options: {
        users: { type: 'string', default: '10000' },
        requests: { type: 'string' },
        transactions: { type: 'string' },
        samples: { type: 'string', default: '40' },
        'scan-samples': { type: 'string', default: '3' },
      },
    });
    const users = Number(values.users);
    const size = {
      users,
      requests: Number(values.requests ?? Math.round(users / 5)),
      transactions: Number(values.transactions ?? users * 2),
      tenants: 5,
      days: 400,
      seed: 1,
    };
    process.env.TEST_MONGODB_URI = infra.mongodbUri;
    process.env.TEST_TEMPORAL_ADDRESS = infra.temporalAddress;
    const stack = await startTestStack();
    try {
      const { models, config } = stack.deps;
      log(`seeding ${size.users} users, ${size.requests} requests, ${size.transactions} transactions`);
      let t = Date.now();
      await insertDemoData(models, size, progressBar('insert'));
      const seedSecs = (Date.now() - t) / 1000;
      t = Date.now();
      const total = size.users + size.requests + size.transactions;
      const bar = progressBar('read models');
      const built = await rebuildAnalytics(models, (done) => bar(done, total));
      const buildSecs = (Date.now() - t) / 1000;
      const perSec = (n: number, secs: number) => Math.round(n / Math.max(secs, 0.001));
      log(
        `seeded in ${seedSecs.toFixed(0)} s (${perSec(total, seedSecs)} inserts/s); read models (${built.counterDocs} counter docs) built in ${buildSecs.toFixed(0)} s (${perSec(total, buildSecs)} records/s)`,
      );

      const { email } = await userWithPassword(models, config, { userType: 'internal-admin', role: 'super-admin' });
      const headers = bearer((await login(stack.url, email)).json.data.accessToken);
      const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date().toISOString().slice(0, 10);
      const range = `from=${from}&to=${to}`;
      const users$ = models.User.collection;
      const scans: Record<string, [string, () => Promise<unknown>]> = {
        'active-users': [
          '',
          () =>
            users$
              .aggregate([
                { $match: { lastActiveAt: { $gte: new Date(Date.now() - 30 * 86_400_000) } } },
                { $group: { _id: null, n: { $sum: 1 } } },
              ])
              .toArray(),
        ],
        growth: [
          `${range}&interval=week`,
          () =>
            users$
              .aggregate([{ $match: { createdAt: { $gte: new Date(from) } } }, { $project: { createdAt: 1 } }])
              .toArray(),
        ],
        'kyc-funnel': [
          range,
          () =>
            users$
              .aggregate([
                { $match: { createdAt: { $gte: new Date(from) } } },
                {
                  $project: {
                    createdAt: 1,
                    emailVerifiedAt: 1,
                    kycStartedAt: 1,
                    kycApprovedAt: 1,
                    termsAcceptedAt: 1,
                    activatedAt: 1,
                  },
                },
              ])
              .toArray(),
        ],
        'status-distribution': ['', () => users$.aggregate([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray()],
        'role-distribution': [
          '',
          () => users$.aggregate([{ $group: { _id: { r: '$role', t: '$userType' }, n: { $sum: 1 } } }]).toArray(),
        ],
        'kyc-levels': ['', () => users$.aggregate([{ $group: { _id: '$kycLevel', n: { $sum: 1 } } }]).toArray()],
        'verification-requests': [
          '',
          () =>
            models.VerificationRequest.collection.aggregate([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray(),
        ],
        'transaction-averages': [
          `${range}&interval=month`,
          () =>
            models.Transaction.collection
              .aggregate([
                { $match: { createdAt: { $gte: new Date(from) } } },
                { $group: { _id: { d: '$direction', c: '$currency' }, n: { $sum: 1 }, s: { $sum: '$amount' } } },
              ])
              .toArray(),
        ],
        geography: [
          '',
          () => users$.aggregate([{ $group: { _id: { c: '$country', s: '$status' }, n: { $sum: 1 } } }]).toArray(),
        ],
      };
      const rows: BenchRow[] = [];
      for (const [endpoint, [query, scan]] of Object.entries(scans)) {
        const url = `${stack.url}/users/analytics/${endpoint}?${query}`;
        const first = await request(url, { headers });
        if (first.status !== 200) throw new Error(`${endpoint} answered ${first.status}: ${first.text}`);
        const api = await timed(Number(values.samples), () => request(url, { headers }));
        // `--scan-samples 0` skips the scans (each takes ~30 s at 100k users, minutes at 1M transactions).
        const base = await timed(Number(values['scan-samples']), scan);
        const scanned = base.length > 0;
        log(
          `${endpoint}: p50 ${api[Math.floor(api.length / 2)].toFixed(1)} ms, p95 ${percentile(api, 95).toFixed(1)} ms; collection scan p50 ${scanned ? base[Math.floor(base.length / 2)].toFixed(0) : '(skipped)'} ms`,
        );
        rows.push({
          metric: `${endpoint} p50 / p95 (ms)`,
          project: `${api[Math.floor(api.length / 2)].toFixed(1)} / ${percentile(api, 95).toFixed(1)}`,
          baseline: scanned
            ? `${base[Math.floor(base.length / 2)].toFixed(0)} / ${percentile(base, 95).toFixed(0)}`
            : 'skipped',
          ratio: scanned
            ? (base[Math.floor(base.length / 2)] / api[Math.floor(api.length / 2)]).toFixed(0) + '× faster'
            : '',
          unit: 'ms, lower is better (baseline = plain collection scan)',
        });
      }
      return {
        name: 'analytics',
        rows,
        notes: [
          `${size.users} users, ${size.requests} verification requests, ${size.transactions} transactions; seed ${seedSecs.toFixed(0)} s (${perSec(total, seedSecs)} inserts/s), read-model build ${buildSecs.toFixed(0)} s (${perSec(total, buildSecs)} records/s); ${Number(values.samples)} requests per endpoint, ${Number(values['scan-samples'])} scans`,
        ],
      };
    } finally {
      await stack.close();
    }
  },
};
