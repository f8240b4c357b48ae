import http from 'node:http';

import { connectDatabase } from '../../../adapters/database';
import { createServiceToken, SERVICE_SCOPES } from '../../../adapters/identity/service-tokens';
import { createModels } from '../../../adapters/models';
import { type Channel, CHANNELS } from '../../../domain/contracts/notify.contract';
import { appStack } from '../app-stack';
import { percentile, send } from '../load';
import { treeCpuSeconds, treeRssBytes } from '../proc-stats';
import type { Scenario } from '../scenario';
import { options } from '../scenario-kit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The 1,000-notification run (kept from the first bench): POST /users/notifications/kyc in
 * batches of 100 for seeded users on every channel, through the notifications worker, the SDKs,
 * the sandbox providers and their signed callbacks; then every recipient counted in the outbox
 * (none lost, none twice). Bounded at 10 minutes.
 */
export const scenario: Scenario = {
  name: 'notifications',
  description: '1,000 notifications × email/sms/push through the real stack: throughput, latency, exactly once',
  async run(infra, args) {
    const o = options(args, { count: '1000', batch: '100' });
    const app = await appStack(infra);
    const db = await connectDatabase(app.env.MONGODB_URI!);
    const models = createModels(db);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const { token } = await createServiceToken(models, { name: `bench-${Date.now()}`, scopes: [...SERVICE_SCOPES] });
      const tag = Date.now();
      // Recipients are seeded (they are the input here, not a step being skipped).
      const created = await models.User.insertMany(
        Array.from({ length: o.count }, (_, i) => ({
          email: `notify-${tag}-${i}@example.test`,
          phone: `+2347${String(100000000 + i)}`,
          firstName: 'Bench',
          status: 'active',
        })),
      );
      await models.UserDevices.insertMany(
        created.map((u, i) => ({
          _id: u._id,
          devices: [{ _id: `d${i}`, token: `bench-device-${tag}-${i}`, platform: 'android', createdAt: new Date() }],
        })),
      );
      const requestedAt = new Map<string, number>();
      // CPU per process over the whole run (accept → last completion), to see which process bounds it.
      const cpuBefore = Object.fromEntries(app.projectProcesses.map((p) => [p.name, treeCpuSeconds(p.pid)]));
      const start = Date.now();
      for (let i = 0; i < created.length; i += o.batch) {
        const sentAt = Date.now();
        const res = await send(agent, app.apiUrl, {
          method: 'POST',
          path: '/users/notifications/kyc',
          headers: { authorization: `Bearer ${token}` },
          body: JSON.stringify({
            userIds: created.slice(i, i + o.batch).map((u) => u._id),
            status: 'approved',
            channels: CHANNELS,
          }),
        });
        if (res.status !== 202) throw new Error(`POST /users/notifications/kyc answered ${res.status}: ${res.body}`);
        for (const x of JSON.parse(res.body).data.notifications as { notificationId: string }[])
          requestedAt.set(x.notificationId, sentAt);
      }
      const acceptedMs = Date.now() - start;
      const ids = [...requestedAt.keys()];
      const deadline = Date.now() + 10 * 60_000;
      const finished: { _id: string; completedAt?: Date | null; status: string }[] = [];
      let open = ids;
      while (Date.now() < deadline) {
        // `_id` lookups only (FerretDB answers those without decoding every document), and only for
        // the notifications still open: re-reading all 1,000 every 2 s was load of the bench's own.
        const read = await Promise.all(
          open.map((id) => models.Notification.findById(id, { completedAt: 1, status: 1 }).lean()),
        );
        finished.push(...read.filter((n): n is NonNullable<typeof n> => Boolean(n?.completedAt)));
        open = open.filter((_, i) => !read[i]?.completedAt);
        if (!open.length) break;
        await sleep(2_000);
      }
      const end = Math.max(...finished.map((f) => f.completedAt!.getTime()));
      const cpuMs = Object.fromEntries(
        app.projectProcesses.map((p) => [p.name, Math.round((treeCpuSeconds(p.pid) - cpuBefore[p.name]) * 1000)]),
      );
      const latencies = finished.map((f) => f.completedAt!.getTime() - requestedAt.get(f._id)!).sort((a, b) => a - b);
      await sleep(1_000); // the last deliveries' callbacks
      const messages = JSON.parse(
        (await send(agent, app.sandboxUrl, { method: 'GET', path: '/outbox?limit=100000' })).body,
      ).messages as { to: string; channel: Channel }[];
      const got = new Map<string, number>();
      for (const m of messages)
        got.set(`${m.channel}:${m.to.toLowerCase()}`, (got.get(`${m.channel}:${m.to.toLowerCase()}`) ?? 0) + 1);
      let lost = 0;
      let duplicated = 0;
      created.forEach((u, i) => {
        const to: Record<Channel, string> = { email: u.email, sms: u.phone!, push: `bench-device-${tag}-${i}` };
        for (const c of CHANNELS) {
          const n = got.get(`${c}:${to[c].toLowerCase()}`) ?? 0;
          if (n === 0) lost++;
          if (n > 1) duplicated += n - 1;
        }
      });
      const seconds = (end - start) / 1000;
      // The peak is what the old-space cap (WORKER_V8_FLAGS) has to hold: read before the idle wait.
      const peak = app.peakRss();
      const peakWorkers = Object.entries(peak)
        .filter(([name]) => name.endsWith('-worker') && !name.startsWith('bare'))
        .map(([name, bytes]) => `${name} ${Math.round(bytes / 2 ** 20)}`);
      // Idle after the load: the V8 heaps keep their high-water mark, which is what a worker holds between bursts.
      await sleep(10_000);
      const idleAfter = app.projectProcesses
        .filter((p) => p.name.endsWith('-worker'))
        .map((p) => `${p.name} ${Math.round(treeRssBytes(p.pid) / 2 ** 20)}`);
      if (lost || duplicated || finished.length < o.count)
        throw new Error(
          `notifications: ${finished.length}/${o.count} completed, lost ${lost}, duplicated ${duplicated}`,
        );
      return {
        name: 'notifications',
        rows: [
          {
            metric: `throughput (${o.count} notifications × ${CHANNELS.length} channels)`,
            project: o.count / seconds,
            unit: 'notifications/s (goal ≥ 50)',
          },
          { metric: 'latency request → all channels done p50', project: percentile(latencies, 50), unit: 'ms' },
          {
            metric: 'latency request → all channels done p95',
            project: percentile(latencies, 95),
            unit: 'ms (goal ≤ 20000)',
          },
          { metric: 'accepted (all POSTs answered)', project: acceptedMs, unit: 'ms' },
          { metric: 'lost / duplicated messages', project: `${lost} / ${duplicated}`, unit: 'count (must be 0 / 0)' },
          ...Object.entries(cpuMs).map(([name, ms]) => ({
            metric: `CPU ${name}`,
            project: Math.round(ms / o.count),
            unit: `ms per notification (${(ms / 1000 / seconds).toFixed(2)} cores over the run)`,
          })),
          { metric: 'worker RSS peak (stack start → end of the load)', project: peakWorkers.join(', '), unit: 'MiB' },
          { metric: 'worker RSS idle 10 s after the load', project: idleAfter.join(', '), unit: 'MiB' },
        ],
        notes: [
          'no bare baseline: the journey scenario carries the bare-workflow comparison on the same server',
          `NOTIFY_BATCH_CONCURRENCY=${app.env.NOTIFY_BATCH_CONCURRENCY ?? 'default'}, NOTIFY_WORKER_MAX_IN_FLIGHT=${app.env.NOTIFY_WORKER_MAX_IN_FLIGHT ?? 'default'}, WORKER_V8_FLAGS=${app.env.WORKER_V8_FLAGS ?? 'default'}`,
        ],
      };
    } finally {
      agent.destroy();
      await db.close();
    }
  },
};
