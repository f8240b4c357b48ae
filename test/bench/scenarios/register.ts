import http from 'node:http';

import { appStack } from '../app-stack';
import { benchEmail, registerBody, until } from '../journey-steps';
import { closedLoop, type Outcome, percentile, send } from '../load';
import type { BenchRow, Scenario } from '../scenario';
import { errorNotes, options, type Pair, pairRows } from '../scenario-kit';

/**
 * POST /users/register under 8 and 32 keep-alive connections, interleaved round by round with a
 * bare Express + argon2id (same cost) + insert on the same database, and with the one-workflow
 * floor (that bare register plus one bare workflow started by update-with-start, its update
 * answered by one local activity: baselines/bare-workflow.ts), the most a registration that must
 * pass through one workflow can reach here; then the time from each accepted request to its
 * confirmation code in the sandbox outbox (the code email must keep up).
 */
export const scenario: Scenario = {
  name: 'register',
  description:
    'POST /users/register at 8 and 32 connections vs bare Express + argon2id + insert and vs the one-workflow floor; request → code in outbox',
  async run(infra, args) {
    const o = options(args, { seconds: '8', rounds: '3' });
    const connections = String(args.includes('--connections') ? args[args.indexOf('--connections') + 1] : '8,32')
      .split(',')
      .map(Number);
    const app = await appStack(infra);
    const accepted = new Map<string, number>(); // email → request sent at (ms)
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    let loadEndedAt = 0;
    for (const c of connections) {
      const rounds: Pair[] = [];
      const floorRounds: Pair[] = [];
      for (let r = 0; r < o.rounds; r++) {
        const project: Outcome = await closedLoop({
          base: app.apiUrl,
          connections: c,
          durationMs: o.seconds * 1000,
          expect: 201,
          next: () => ({
            method: 'POST',
            path: '/users/register',
            body: JSON.stringify(registerBody(benchEmail('reg'))),
          }),
          onResult: (_i, call, sentAt, res) => {
            if (res.status === 201) accepted.set(JSON.parse(String(call.body)).email, sentAt);
          },
        });
        loadEndedAt = Date.now();
        const baseline = await closedLoop({
          base: app.bareUrl,
          connections: c,
          durationMs: o.seconds * 1000,
          expect: 201,
          next: () => ({ method: 'POST', path: '/register', body: JSON.stringify(registerBody(benchEmail('bare'))) }),
        });
        const floor = await closedLoop({
          base: app.bareUrl,
          connections: c,
          durationMs: o.seconds * 1000,
          expect: 201,
          next: () => ({
            method: 'POST',
            path: '/register-workflow',
            body: JSON.stringify(registerBody(benchEmail('floor'))),
          }),
        });
        rounds.push({ project, baseline });
        floorRounds.push({ project, baseline: floor });
      }
      rows.push(...pairRows(`${c} conn`, rounds));
      rows.push(
        ...pairRows(`${c} conn vs one-workflow floor`, floorRounds).map((row) => ({
          ...row,
          unit: row.unit?.replace('project/bare', 'project/floor'),
        })),
      );
      notes.push(...errorNotes(`${c} conn`, rounds));
      notes.push(...errorNotes(`${c} conn one-workflow floor`, floorRounds).map((n) => n.replace('baseline', 'floor')));
    }
    // Every accepted registration's code email, from the sandbox outbox (bounded wait).
    const agent = new http.Agent({ keepAlive: true });
    const readOutbox = async () => {
      const res = await send(agent, app.sandboxUrl, { method: 'GET', path: '/outbox?channel=email&limit=100000' });
      const firstAt = new Map<string, number>();
      for (const m of JSON.parse(res.body).messages as { to: string; createdAt: string }[]) {
        if (accepted.has(m.to)) firstAt.set(m.to, Math.min(firstAt.get(m.to) ?? Infinity, Date.parse(m.createdAt)));
      }
      return firstAt;
    };
    const delivered = await until(
      'every code email in the outbox',
      readOutbox,
      (m) => m.size >= accepted.size,
      180_000,
    ).catch(readOutbox);
    agent.destroy();
    const latencies = [...delivered].map(([email, at]) => at - accepted.get(email)!).sort((a, b) => a - b);
    const lastCodeAt = Math.max(...delivered.values());
    rows.push(
      { metric: 'request → code email in outbox p50', project: percentile(latencies, 50), unit: 'ms' },
      { metric: 'request → code email in outbox p95', project: percentile(latencies, 95), unit: 'ms (goal ≤ 5000)' },
      { metric: 'request → code email in outbox max', project: latencies.at(-1) ?? NaN, unit: 'ms' },
      {
        metric: 'code emails delivered / registrations accepted',
        project: `${delivered.size} / ${accepted.size}`,
        unit: 'count (lost = difference)',
      },
    );
    notes.push(
      `last code email landed ${Math.max(0, lastCodeAt - loadEndedAt)} ms after the last project load phase ended (backlog drain)`,
    );
    notes.push(
      `cells: min / median / max over ${o.rounds} interleaved rounds of ${o.seconds} s per side (project, bare, floor)`,
      'one-workflow floor: the bare register plus a bare workflow started by update-with-start whose update one local activity answers (goal: project ≥ 80 % of it)',
    );
    if (delivered.size < accepted.size)
      throw new Error(`${accepted.size - delivered.size} code emails never reached the outbox`);
    return { name: 'register', rows, notes };
  },
};
