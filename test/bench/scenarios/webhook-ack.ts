import { randomUUID } from 'node:crypto';
import { Connection, Client } from '@temporalio/client';
import { signBridgeWebhook } from '../../../adapters/providers/bridge-signature';
import { veriffSignature } from '../../../adapters/providers/veriff-signature';
import { onboardingWorkflowId } from '../../../domain/contracts/onboarding.contract';
import { appStack } from '../app-stack';
import { pool, steps } from '../journey-steps';
import { openLoop, type HttpCall } from '../load';
import { errorNotes, options, pairRows, type Pair } from '../scenario-kit';
import type { Scenario } from '../scenario';

/**
 * Signed Veriff and Bridge webhooks (signature → inbox → signal → 200) at a fixed rate to
 * onboardings waiting on them, interleaved with a bare JSON echo at the same rate. Nothing may be
 * lost: the signals the workflows received are counted from their histories.
 */
export const scenario: Scenario = {
  name: 'webhook-ack',
  description: 'signed Veriff + Bridge webhooks at 100 req/s vs a bare JSON echo; signals received counted',
  async run(infra, args) {
    const o = options(args, { rate: '100', count: '500', rounds: '2', users: '4' });
    const app = await appStack(infra);
    const s = steps(app);
    const env = app.env;
    // Half wait in Veriff's submission step, half in Bridge's approval step.
    const veriffUsers = await pool(Array.from({ length: o.users }), 4, () => s.withVeriffSession('wh-veriff'));
    const bridgeUsers = await pool(Array.from({ length: o.users }), 4, () => s.withBridgeLink('wh-bridge'));
    const sent = new Map<string, number>(); // workflowId → webhooks acknowledged (200) for it
    const make = (i: number): { call: HttpCall; workflowId: string } => {
      if (i % 2 === 0) {
        const u = veriffUsers[(i / 2) % veriffUsers.length];
        const body = JSON.stringify({ id: u.sessionId, attemptId: randomUUID(), feature: 'selfid', code: 7002, action: 'started', vendorData: u.userId });
        return { workflowId: onboardingWorkflowId(u.userId), call: { method: 'POST', path: '/users/webhook-kyc', body, headers: { 'x-hmac-signature': veriffSignature(env.VERIFF_SHARED_SECRET!, body), 'x-auth-client': env.VERIFF_API_KEY! } } };
      }
      const u = bridgeUsers[((i - 1) / 2) % bridgeUsers.length];
      const body = JSON.stringify({
        api_version: 'v0',
        event_id: `wh_${randomUUID()}`,
        event_category: 'kyc_link',
        event_type: 'kyc_link.updated',
        event_object_id: u.kycLinkId,
        event_object: { id: u.kycLinkId, kyc_status: 'under_review', tos_status: 'pending' },
        event_created_at: new Date().toISOString(),
      });
      const signature = signBridgeWebhook(env.SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY!.replace(/\\n/g, '\n'), body, Date.now());
      return { workflowId: onboardingWorkflowId(u.userId), call: { method: 'POST', path: '/users/webhook/kyc', body, headers: { 'x-webhook-signature': signature } } };
    };
    // Signals are counted from the histories, before and after the load.
    const connection = await Connection.connect({ address: infra.temporalAddress });
    const client = new Client({ connection });
    const signalsOf = async (workflowId: string) =>
      ((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    const all = [...veriffUsers, ...bridgeUsers].map((u) => onboardingWorkflowId(u.userId));
    const before = new Map(await Promise.all(all.map(async (w) => [w, await signalsOf(w)] as const)));
    const rounds: Pair[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const calls = Array.from({ length: o.count }, (_, i) => make(i));
      // Only acknowledged webhooks must arrive; one answered otherwise is the provider's to retry.
      const acked = (i: number, status: number) => {
        if (status === 200) sent.set(calls[i].workflowId, (sent.get(calls[i].workflowId) ?? 0) + 1);
      };
      const project = await openLoop({ base: app.apiUrl, ratePerSecond: o.rate, count: o.count, expect: 200, next: (i) => calls[i].call, onResult: acked });
      const baseline = await openLoop({ base: app.bareUrl, ratePerSecond: o.rate, count: o.count, expect: 200, next: (i) => ({ ...calls[i].call, path: '/echo' }) });
      rounds.push({ project, baseline });
    }
    let received = 0;
    let expected = 0;
    let lost = 0;
    for (const [workflowId, n] of sent) {
      expected += n;
      let got = 0;
      const deadline = Date.now() + 60_000;
      do {
        got = (await signalsOf(workflowId)) - before.get(workflowId)!;
        if (got < n) await new Promise((res) => setTimeout(res, 500));
      } while (got < n && Date.now() < deadline);
      received += got;
      lost += Math.max(0, n - got); // per workflow: extra signals elsewhere cannot hide a loss
    }
    await connection.close();
    return {
      name: 'webhook-ack',
      rows: [
        ...pairRows(`${o.rate} req/s`, rounds).slice(1),
        { metric: 'webhooks acknowledged (200) / signals received by the workflows', project: `${expected} / ${received}`, unit: 'count (signals ≥ acks: a 5xx may still have signalled)' },
        { metric: 'lost (acknowledged, never signalled)', project: lost, unit: 'count (must be 0)' },
      ],
      notes: [...errorNotes('webhooks', rounds), `cells: min / median / max over ${o.rounds} rounds of ${o.count} requests per side (open loop, latency includes queueing); goal p99 ≤ 25 ms`],
    };
  },
};
