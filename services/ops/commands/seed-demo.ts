import { rebuildAnalytics } from '../../../adapters/analytics/read-model';
import { createTemporalClient } from '../../../adapters/temporal-client';
import { rebuildThroughRoller } from '../../common/analytics-roller';
import type { OpsCommand } from '../command';
import { insertDemoData } from '../demo-data';
import { progressBar } from '../progress-bar';

const int = (v: unknown, name: string, dflt: number) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};

/**
 * Demo data for dashboards and the bench: users along the funnel, BVN/NIN requests and
 * transactions, inserted in bulk; then the analytics read models are rebuilt. By default the
 * rebuild goes through the running analytics roller (the single writer); `--direct` rebuilds in
 * this process, for a database no worker is using.
 */
export const seedDemo: OpsCommand = {
  usage:
    '[--users 100000] [--requests 20000] [--transactions 1000000] [--tenants 5] [--days 400] [--seed 1] [--direct]',
  options: {
    users: { type: 'string' },
    requests: { type: 'string' },
    transactions: { type: 'string' },
    tenants: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    direct: { type: 'boolean' },
  },
  async run({ config, models, args }) {
    const size = {
      users: int(args.users, 'users', 100_000),
      requests: int(args.requests, 'requests', 20_000),
      transactions: int(args.transactions, 'transactions', 1_000_000),
      tenants: int(args.tenants, 'tenants', 5),
      days: Math.max(1, int(args.days, 'days', 400)),
      seed: int(args.seed, 'seed', 1),
    };
    const started = Date.now();
    await insertDemoData(models, size, progressBar('inserting'));
    const inserted = Date.now();
    if (args.direct) {
      const bar = progressBar('read models');
      const total =
        (await models.User.estimatedDocumentCount()) +
        (await models.VerificationRequest.estimatedDocumentCount()) +
        (await models.Transaction.estimatedDocumentCount());
      await rebuildAnalytics(models, (done) => bar(done, total));
    } else {
      const client = createTemporalClient(config);
      try {
        await rebuildThroughRoller(client, config, () => process.stderr.write('.'));
        process.stderr.write('\n');
      } finally {
        await client.connection.close();
      }
    }
    const secs = (ms: number) => (ms / 1000).toFixed(1);
    return `seeded ${size.users} users, ${size.requests} verification requests, ${size.transactions} transactions in ${secs(inserted - started)}s; read models rebuilt in ${secs(Date.now() - inserted)}s`;
  },
};
