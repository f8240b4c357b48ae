// Cases at scale (issue 24): seeds the demo data (default 100k users, 20k verification requests),
// runs the case sweep's pass over it (first pass: opens every case; second: writes nothing), then
// times GET /cases as an internal admin and as a tenant's compliance officer, with the filters the
// page uses. The target is p95 < 200 ms.
import { parseArgs } from 'node:util';

import { sweepCases } from '../../../adapters/cases/case-store';
import { insertDemoData } from '../../../services/ops/demo-data';
import { progressBar } from '../../../services/ops/progress-bar';
import { request } from '../../helpers/http';
import { bearer, login, staffFields, userWithPassword } from '../../helpers/identity';
import { startTestStack } from '../../helpers/stack';
import type { BenchInfra, BenchRow, Scenario } from '../scenario';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const log = (s: string) => process.stdout.write(`[cases] ${s}\n`);

export const casesScenario: Scenario = {
  name: 'cases',
  description:
    'case sweep pass and p50/p95 of GET /cases on the demo data (default 100k users; --users/--requests/--samples)',
  async run(infra: BenchInfra, args: string[]) {
    const { values } = parseArgs({
      args,
      strict: false,
      options: {
        users: { type: 'string', default: '100000' },
        requests: { type: 'string' },
        samples: { type: 'string', default: '40' },
      },
    });
    const users = Number(values.users);
    const size = {
      users,
      requests: Number(values.requests ?? Math.round(users / 5)),
      transactions: 1000,
      tenants: 5,
      days: 400,
      seed: 1,
    };
    const samples = Number(values.samples);
    process.env.TEST_MONGODB_URI = infra.mongodbUri;
    process.env.TEST_TEMPORAL_ADDRESS = infra.temporalAddress;
    const stack = await startTestStack();
    try {
      const { models, config } = stack.deps;
      log(`seeding ${size.users} users, ${size.requests} requests`);
      await insertDemoData(models, size, progressBar('insert'));
      const ctx = () => ({
        now: new Date(),
        stuckAfterMinutes: config.VERIFICATION_STUCK_AFTER_MINUTES,
        webhookPendingMinutes: config.CASE_WEBHOOK_PENDING_MINUTES,
        holdHours: config.PARTNER_KYC_HOLD_HOURS,
        holdExpiringHours: config.CASE_HOLD_EXPIRING_HOURS,
        partnerKycPendingMinutes: config.CASE_PARTNER_KYC_PENDING_MINUTES,
      });
      let t = performance.now();
      const first = await sweepCases(models, ctx());
      const firstMs = performance.now() - t;
      t = performance.now();
      const second = await sweepCases(models, ctx());
      const secondMs = performance.now() - t;
      log(
        `sweep: first pass opened ${first.opened} in ${(firstMs / 1000).toFixed(1)} s; second pass opened ${second.opened}, resolved ${second.resolved} in ${(secondMs / 1000).toFixed(1)} s`,
      );

      const tenant = await models.Organization.findOne({}, { _id: 1 }).lean();
      const admin = await userWithPassword(models, config, { userType: 'internal-admin', role: 'super-admin' });
      const officer = await userWithPassword(models, config, staffFields(tenant!._id, 'COMPLIANCE_OFFICER'));
      const adminH = bearer((await login(stack.url, admin.email)).json.data.accessToken);
      const officerH = bearer((await login(stack.url, officer.email)).json.data.accessToken);
      const queries: [string, Record<string, string>, string][] = [
        ['all open (admin)', adminH, '/cases?limit=50'],
        ['one kind (admin)', adminH, '/cases?kind=verification_overdue&limit=50'],
        ['older than 24 h, page 3 (admin)', adminH, '/cases?minAgeHours=0&page=3&limit=50'],
        ['own tenant (officer)', officerH, '/cases?limit=50'],
        ['own tenant, one kind (officer)', officerH, '/cases?kind=verification_stuck&limit=50'],
      ];
      const rows: BenchRow[] = [
        { metric: 'open cases after the first pass', project: first.open, unit: 'cases' },
        { metric: 'sweep first pass', project: Math.round(firstMs), unit: 'ms' },
        { metric: 'sweep second pass (no changes)', project: Math.round(secondMs), unit: 'ms' },
      ];
      for (const [name, headers, path] of queries) {
        const ms: number[] = [];
        for (let i = 0; i < samples; i++) {
          const s = performance.now();
          const res = await request(`${stack.url}${path}`, { headers });
          if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
          ms.push(performance.now() - s);
        }
        ms.sort((a, b) => a - b);
        rows.push({ metric: `GET ${name} p50`, project: Math.round(percentile(ms, 50)), unit: 'ms' });
        rows.push({ metric: `GET ${name} p95`, project: Math.round(percentile(ms, 95)), unit: 'ms (target < 200)' });
      }
      return {
        name: 'cases',
        rows,
        notes: [`${size.users} users, ${size.requests} requests; ${samples} samples per query, sequential`],
      };
    } finally {
      await stack.close();
    }
  },
};
