import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { Client, Connection } from '@temporalio/client';

import { signBridgeWebhook } from '../../../adapters/providers/bridge/signature';
import { veriffSignature } from '../../../adapters/providers/veriff/signature';
import { onboardingWorkflowId } from '../../../domain/contracts/onboarding.contract';
import { appStack } from '../app-stack';
import { pool, steps } from '../journey-steps';
import { type HttpCall, openLoop, percentile } from '../load';
import { reniceTree, treeCpuSeconds } from '../proc-stats';
import type { BenchRow, Scenario } from '../scenario';
import { errorNotes, ms, options, type Pair, pairRows } from '../scenario-kit';
import { ackPathCost } from './webhook-ack-path';

/**
 * Signed Veriff and Bridge webhooks (signature → inbox → 200; the signal follows) at a fixed rate
 * to onboardings waiting on them, interleaved with a bare JSON echo at the same rate. Nothing may be
 * lost: the signals the workflows received are counted from their histories, per workflow.
 *
 * Two aims, each its own rounds: `spread` (--users per provider, default 75: a provider's webhooks
 * are about many users) and `hot` (the first --hot per provider, default 4: every webhook to 8
 * runs, ~12 signals/s each, which Temporal serialises on each run's lock). --aims spread,hot
 * picks them. Ack → signal is each signal's history time against the acks of its run, paired in
 * order (both sorted), so the async delay is visible.
 */
export const scenario: Scenario = {
  name: 'webhook-ack',
  description:
    'signed Veriff + Bridge webhooks at 100 req/s (spread over many runs, and at 8 hot runs) vs a bare JSON echo; signals counted, ack → signal delay',
  async run(infra, args) {
    const o = options(args, {
      rate: '100',
      count: '500',
      rounds: '2',
      users: '75',
      hot: '4',
      seconds: '0', // > 0: the burst lasts this long (count = rate × seconds), e.g. --seconds 30
      'drain-timeout': '300',
      'nice-workers': '0', // > 0: the workers run at this OS niceness (measures that option)
    });
    if (o.seconds > 0) o.count = Math.round(o.rate * o.seconds);
    const aims = (
      (parseArgs({ args, strict: false, options: { aims: { type: 'string' } } }).values.aims as string | undefined) ??
      'spread,hot'
    )
      .split(',')
      .filter((a): a is 'spread' | 'hot' => a === 'spread' || a === 'hot');
    const app = await appStack(infra);
    if (o['nice-workers'] > 0)
      for (const p of app.projectProcesses.filter((x) => x.name.endsWith('-worker')))
        reniceTree(p.pid, o['nice-workers']);
    const s = steps(app);
    const env = app.env;
    // Half wait in Veriff's submission step, half in Bridge's approval step.
    const n = aims.includes('spread') ? Math.max(o.users, o.hot) : o.hot;
    const veriffUsers = await pool(Array.from({ length: n }), 8, () => s.withVeriffSession('wh-veriff'));
    const bridgeUsers = await pool(Array.from({ length: n }), 8, () => s.withBridgeLink('wh-bridge'));
    const acks = new Map<string, number[]>(); // workflowId → when each acknowledged (200) webhook for it was answered
    const make = (i: number, aimed: number): { call: HttpCall; workflowId: string } => {
      if (i % 2 === 0) {
        const u = veriffUsers[(i / 2) % aimed];
        const body = JSON.stringify({
          id: u.sessionId,
          attemptId: randomUUID(),
          feature: 'selfid',
          code: 7002,
          action: 'started',
          vendorData: u.userId,
        });
        return {
          workflowId: onboardingWorkflowId(u.userId),
          call: {
            method: 'POST',
            path: '/users/webhook-kyc',
            body,
            headers: {
              'x-hmac-signature': veriffSignature(env.VERIFF_SHARED_SECRET!, body),
              'x-auth-client': env.VERIFF_API_KEY!,
            },
          },
        };
      }
      const u = bridgeUsers[((i - 1) / 2) % aimed];
      const body = JSON.stringify({
        api_version: 'v0',
        event_id: `wh_${randomUUID()}`,
        event_category: 'kyc_link',
        event_type: 'kyc_link.updated',
        event_object_id: u.kycLinkId,
        event_object: { id: u.kycLinkId, kyc_status: 'under_review', tos_status: 'pending' },
        event_created_at: new Date().toISOString(),
      });
      const signature = signBridgeWebhook(
        env.SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY!.replace(/\\n/g, '\n'),
        body,
        Date.now(),
      );
      return {
        workflowId: onboardingWorkflowId(u.userId),
        call: { method: 'POST', path: '/users/webhook/kyc', body, headers: { 'x-webhook-signature': signature } },
      };
    };
    // Signals are counted from the histories, before and after the load.
    const connection = await Connection.connect({ address: infra.temporalAddress });
    const client = new Client({ connection });
    const signalTimesOf = async (workflowId: string) =>
      ((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
        .filter((e) => e.workflowExecutionSignaledEventAttributes)
        .map((e) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
    const all = [...veriffUsers, ...bridgeUsers].map((u) => onboardingWorkflowId(u.userId));
    const before = new Map(await Promise.all(all.map(async (w) => [w, (await signalTimesOf(w)).length] as const)));
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    for (const aim of aims) {
      const aimed = aim === 'spread' ? o.users : o.hot;
      const label = `${aim} (${aimed * 2} runs), ${o.rate} req/s`;
      const rounds: Pair[] = [];
      acks.clear();
      // CPU of the project's processes from the first webhook until every signal is in its history
      // (the bare rounds in between load only the bare server): what one webhook costs end to end.
      const cpuBefore = Object.fromEntries(app.projectProcesses.map((p) => [p.name, treeCpuSeconds(p.pid)]));
      // CPU while the webhooks arrive (the ack path, plus whatever downstream work runs meanwhile).
      const duringBurst: Record<string, number> = Object.fromEntries(app.projectProcesses.map((p) => [p.name, 0]));
      let burstEnd = 0;
      let lastSignal = 0;
      for (let r = 0; r < o.rounds; r++) {
        const calls = Array.from({ length: o.count }, (_, i) => make(i, aimed));
        // Only acknowledged webhooks must arrive; one answered otherwise is the provider's to retry.
        const acked = (i: number, status: number) => {
          if (status === 200) acks.set(calls[i].workflowId, [...(acks.get(calls[i].workflowId) ?? []), Date.now()]);
        };
        // The bare echo first: the project's backlog then drains with nothing else running.
        const baseline = await openLoop({
          base: app.bareUrl,
          ratePerSecond: o.rate,
          count: o.count,
          expect: 200,
          next: (i) => ({ ...calls[i].call, path: '/echo' }),
        });
        const burstCpu = Object.fromEntries(app.projectProcesses.map((p) => [p.name, treeCpuSeconds(p.pid)]));
        const project = await openLoop({
          base: app.apiUrl,
          ratePerSecond: o.rate,
          count: o.count,
          expect: 200,
          next: (i) => calls[i].call,
          onResult: acked,
        });
        burstEnd = Date.now();
        for (const p of app.projectProcesses) duringBurst[p.name] += treeCpuSeconds(p.pid) - burstCpu[p.name];
        rounds.push({ project, baseline });
      }
      let received = 0;
      let expected = 0;
      let lost = 0;
      const delays: number[] = [];
      const waitStart = Date.now();
      for (const [workflowId, times] of acks) {
        expected += times.length;
        let got: number[];
        const deadline = waitStart + o['drain-timeout'] * 1000;
        do {
          got = (await signalTimesOf(workflowId)).slice(before.get(workflowId)!);
          if (got.length < times.length) await new Promise((res) => setTimeout(res, 500));
        } while (got.length < times.length && Date.now() < deadline);
        before.set(workflowId, before.get(workflowId)! + got.length); // the next aim counts from here
        received += got.length;
        lastSignal = Math.max(lastSignal, ...got);
        lost += Math.max(0, times.length - got.length); // per workflow: extra signals elsewhere cannot hide a loss
        const sortedSignals = [...got].sort((x, y) => x - y);
        [...times]
          .sort((x, y) => x - y)
          .forEach((t, k) => k < sortedSignals.length && delays.push(sortedSignals[k] - t));
      }
      delays.sort((x, y) => x - y);
      const cpu = app.projectProcesses
        .map((p) => ({
          name: p.name,
          ms: ((treeCpuSeconds(p.pid) - cpuBefore[p.name]) * 1000) / Math.max(1, expected),
        }))
        .filter((c) => c.ms >= 0.05)
        .sort((a, b) => b.ms - a.ms);
      const cpuText = (xs: Array<{ name: string; ms: number }>) => {
        const shown = xs.filter((c) => c.ms >= 0.05).sort((a, b) => b.ms - a.ms);
        return `${shown.reduce((t, c) => t + c.ms, 0).toFixed(1)} (${shown.map((c) => `${c.name} ${c.ms.toFixed(1)}`).join(', ')})`;
      };
      rows.push(
        ...pairRows(label, rounds).slice(1),
        {
          metric: `${label}: webhooks acknowledged (200) / signals received`,
          project: `${expected} / ${received}`,
          unit: 'count (signals ≥ acks: a 5xx may still have signalled)',
        },
        { metric: `${label}: lost (acknowledged, never signalled)`, project: lost, unit: 'count (must be 0)' },
        {
          metric: `${label}: CPU per acknowledged webhook, all project processes`,
          project: `${cpu.reduce((t, c) => t + c.ms, 0).toFixed(1)} (${cpu.map((c) => `${c.name} ${c.ms.toFixed(1)}`).join(', ')})`,
          unit: 'ms (until every signal is in its history)',
        },
        {
          metric: `${label}: CPU per acknowledged webhook while the burst arrives`,
          project: cpuText(
            app.projectProcesses.map((p) => ({
              name: p.name,
              ms: (duringBurst[p.name] * 1000) / Math.max(1, expected),
            })),
          ),
          unit: 'ms (the ack path, plus any downstream work that ran meanwhile)',
        },
        {
          metric: `${label}: end of the burst → every event signalled`,
          project:
            lost > 0 ? `> ${o['drain-timeout']} s (${lost} missing)` : ((lastSignal - burstEnd) / 1000).toFixed(1),
          unit: 's (last signal in any history − last ack; goal ≤ 120)',
        },
        {
          metric: `${label}: ack → signal in history p50 / p95 / max`,
          project: `${ms(percentile(delays, 50))} / ${ms(percentile(delays, 95))} / ${ms(delays.at(-1) ?? NaN)}`,
          unit: 'ms (per run, acks and signals paired in order)',
        },
      );
      notes.push(
        ...errorNotes(`webhooks ${aim}`, rounds),
        `${aim}: every signal counted ${Math.round((Date.now() - waitStart) / 1000)} s after the last round`,
      );
    }
    // What the ack path alone costs, in this process: database operations and CPU of the intake
    // command (signature, sealing, inserts), with a dispatcher that sends nothing.
    const path = await ackPathCost(infra, env, veriffUsers[0], bridgeUsers[0]);
    rows.push(
      {
        metric: 'ack path alone: database operations per webhook',
        project: path.operations,
        unit: 'count by collection.method (intake command, first delivery)',
      },
      {
        metric: 'ack path alone: CPU of the intake command per webhook',
        project: path.cpu,
        unit: 'ms in the calling process (signature, sealing, driver; no HTTP, no database server)',
      },
    );
    await connection.close();
    return {
      name: 'webhook-ack',
      rows,
      notes: [
        ...notes,
        `cells: min / median / max over ${o.rounds} rounds of ${o.count} requests per side (open loop, latency includes queueing); goal p99 ≤ 100 ms, every event signalled ≤ 2 min after the burst, 0 lost`,
      ],
    };
  },
};
