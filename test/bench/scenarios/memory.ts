import { appStack } from '../app-stack';
import { benchEmail, pool, registerBody, steps } from '../journey-steps';
import { closedLoop } from '../load';
import { sampleRss, treeRssBytes } from '../proc-stats';
import type { BenchRow, Scenario } from '../scenario';
import { options } from '../scenario-kit';

const MiB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** RSS of every process idle and at peak (under register load + journeys, and over the whole run so far). */
export const scenario: Scenario = {
  name: 'memory',
  description: 'RSS per process idle and at peak; a worker idles under 250 MB',
  async run(infra, args) {
    const o = options(args, { seconds: '10', journeys: '4', settle: '15' });
    const app = await appStack(infra);
    await sleep(3000);
    const idle = Object.fromEntries(app.processes.map((p) => [p.name, treeRssBytes(p.pid)]));
    const sampler = sampleRss(app.processes);
    const s = steps(app);
    await Promise.all([
      closedLoop({
        base: app.apiUrl,
        connections: 8,
        durationMs: o.seconds * 1000,
        expect: 201,
        next: () => ({
          method: 'POST',
          path: '/users/register',
          body: JSON.stringify(registerBody(benchEmail('mem'))),
        }),
      }),
      pool(Array.from({ length: o.journeys }), o.journeys, () => s.journey('mem-journey')),
    ]);
    const peak = sampler.stop();
    const whole = app.peakRss();
    // Idle again once the load's backlog has drained: V8 keeps its heap's high-water mark, so this
    // (not the fresh reading) is what a worker holds between bursts.
    await sleep(o.settle * 1000);
    const after = Object.fromEntries(app.processes.map((p) => [p.name, treeRssBytes(p.pid)]));
    const rows: BenchRow[] = app.processes.map((p) => ({
      metric: p.name,
      project: `${Math.round(idle[p.name] / MiB)} idle / ${Math.round(Math.max(peak[p.name], whole[p.name] ?? 0) / MiB)} peak / ${Math.round(after[p.name] / MiB)} idle after`,
      unit: 'MiB RSS',
    }));
    const workers = app.processes.filter((p) => p.name.endsWith('-worker') && !p.name.startsWith('bare'));
    const over = workers.filter((w) => Math.max(idle[w.name], after[w.name]) >= 250 * 1e6);
    return {
      name: 'memory',
      rows,
      notes: [
        `peak = the larger of this scenario's load (${o.seconds} s of registrations at 8 connections + ${o.journeys} journeys) and everything the run did before it`,
        `idle after = ${o.settle} s after the load ended`,
        over.length
          ? `workers idling over 250 MB: ${over.map((w) => w.name).join(', ')}`
          : 'every worker idles under 250 MB',
      ],
    };
  },
};
