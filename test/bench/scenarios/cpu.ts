import http from 'node:http';

import { appStack } from '../app-stack';
import { runBareWorkflows } from '../bare-workflows';
import { benchEmail, pool, registerBody, steps, until } from '../journey-steps';
import { closedLoop, send } from '../load';
import { cpuDuring, type Tracked } from '../proc-stats';
import type { BenchRow, Scenario } from '../scenario';
import { options } from '../scenario-kit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU seconds per registration (until its code email is in the outbox) and per completed
 * journey, split by process (from /proc/<pid>/stat), with the idle rate measured just before
 * subtracted; against the bare register server and the bare one-activity workflow.
 */
export const scenario: Scenario = {
  name: 'cpu',
  description: 'CPU per registration and per journey by process (API, workers, Temporal, database) vs bare',
  async run(infra, args) {
    const o = options(args, { registrations: '40', journeys: '8', bare: '100' });
    const app = await appStack(infra);
    const s = steps(app);
    const procs = app.processes;
    // Work left over from earlier scenarios (backlogs draining) must not count as idle: wait until
    // the whole stack uses under a tenth of a core (bounded), then take the idle rate per process
    // (pollers, timers), subtracted from each window below.
    const quietBy = Date.now() + 120_000;
    while (Date.now() < quietBy) {
      const { cpu } = await cpuDuring(procs, () => sleep(2000));
      if (Object.values(cpu).reduce((a, b) => a + b, 0) / 2 < 0.1) break;
    }
    const idleSeconds = 4;
    const idle = (await cpuDuring(procs, () => sleep(idleSeconds * 1000))).cpu;
    const net = async (fn: () => Promise<unknown>) => {
      const t0 = performance.now();
      const { cpu } = await cpuDuring(procs, fn);
      const seconds = (performance.now() - t0) / 1000;
      return Object.fromEntries(
        Object.entries(cpu).map(([k, v]) => [k, Math.max(0, v - (idle[k] / idleSeconds) * seconds)]),
      );
    };

    const agent = new http.Agent({ keepAlive: true });
    const emails: string[] = [];
    const register = await net(async () => {
      await closedLoop({
        base: app.apiUrl,
        connections: 8,
        durationMs: 600_000,
        maxRequests: o.registrations,
        expect: 201,
        next: () => {
          const email = benchEmail('cpu');
          emails.push(email);
          return { method: 'POST', path: '/users/register', body: JSON.stringify(registerBody(email)) };
        },
      });
      const want = new Set(emails);
      await until(
        'code emails',
        async () => {
          const msgs = JSON.parse(
            (await send(agent, app.sandboxUrl, { method: 'GET', path: '/outbox?channel=email&limit=100000' })).body,
          ).messages as { to: string }[];
          return msgs.filter((m) => want.has(m.to)).length;
        },
        (n) => n >= want.size,
        180_000,
      );
      await sleep(1000); // the notification's last activity completes after the send
    });
    const bareRegister = await net(() =>
      closedLoop({
        base: app.bareUrl,
        connections: 8,
        durationMs: 600_000,
        maxRequests: o.registrations,
        expect: 201,
        next: () => ({ method: 'POST', path: '/register', body: JSON.stringify(registerBody(benchEmail('bare-cpu'))) }),
      }),
    );
    agent.destroy();
    const journey = await net(async () => {
      await pool(Array.from({ length: o.journeys }), o.journeys, () => s.journey('cpu-journey'));
      await sleep(2000); // the activation notification's channels finish after the step says active
    });
    const bareWorkflow = await net(() => runBareWorkflows(infra.temporalAddress, o.bare, 32));

    const project = app.projectProcesses.map((p: Tracked) => p.name);
    const msPer = (cpu: Record<string, number>, names: string[], n: number) =>
      (names.reduce((t, k) => t + (cpu[k] ?? 0), 0) * 1000) / n;
    const rows: BenchRow[] = [];
    for (const name of project) {
      rows.push({
        metric: `per registration: ${name}`,
        project: msPer(register, [name], o.registrations),
        unit: 'CPU ms',
      });
    }
    const regTotal = msPer(register, project, o.registrations);
    const bareRegTotal = msPer(bareRegister, ['bare-server', 'database'], o.registrations);
    rows.push({
      metric: 'per registration: all processes',
      project: regTotal,
      baseline: bareRegTotal,
      ratio: regTotal / bareRegTotal,
      unit: 'CPU ms (bare: server + database; lower better)',
    });
    for (const name of project) {
      rows.push({ metric: `per journey: ${name}`, project: msPer(journey, [name], o.journeys), unit: 'CPU ms' });
    }
    const jTotal = msPer(journey, project, o.journeys);
    const bareTotal = msPer(bareWorkflow, ['temporal', 'bare-worker'], o.bare);
    rows.push({
      metric: 'per journey: all processes (bare: one-activity workflow, Temporal + worker)',
      project: jTotal,
      baseline: bareTotal,
      ratio: jTotal / bareTotal,
      unit: 'CPU ms (lower better)',
    });
    return {
      name: 'cpu',
      rows,
      notes: [
        `${o.registrations} registrations at 8 connections until every code email was in the outbox; ${o.journeys} concurrent journeys; ${o.bare} bare workflows 32 at a time`,
        `idle CPU over ${idleSeconds} s subtracted per process: ${Object.entries(idle)
          .map(([k, v]) => `${k} ${Math.round((v / idleSeconds) * 1000)} ms/s`)
          .join(', ')}`,
        "the sandbox plays every provider (its CPU is not the project's cost in production)",
      ],
    };
  },
};
