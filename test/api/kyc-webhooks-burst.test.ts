import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';

import { signBridgeWebhook } from '../../adapters/providers/bridge/signature';
import type { BridgeEventSignal } from '../../domain/contracts/onboarding.contract';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { apiWebhookSignals } from '../../services/api/webhooks/webhook-signals';
import { startWebhookSweeper } from '../../services/api/webhooks/webhook-sweeper';
import { apiInstances } from '../helpers/api-instances';
import { TEST_BRIDGE_WEBHOOK_PRIVATE_KEY } from '../helpers/bridge-test-keys';
import { request } from '../helpers/http';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// A burst of webhooks is acknowledged first and signalled after (docs/webhooks.md, "Bursts"):
// while the intake is above WEBHOOK_DEFER_ABOVE_PER_SECOND the dispatcher holds the signals, then
// sends every one, each run's in the order received; a process stopped mid-backlog loses nothing.
describe('KYC webhooks: a burst is acknowledged first, signalled after, in order', () => {
  let t: OnboardingStack;
  /** Other API instances on the same database and Temporal, each with the dispatcher given. */
  const instances = apiInstances(() => t.stack.deps);
  beforeAll(async () => {
    t = await startOnboardingStack();
  });
  afterAll(async () => {
    await instances.closeAll();
    await t?.close();
  });

  const { awaitingBridge } = kycWebhooks(() => t);
  /** A dispatcher that defers above 3 webhooks per second. */
  const deferring = () =>
    instances.track(
      apiWebhookSignals({
        ...t.stack.deps,
        config: { ...t.stack.deps.config, WEBHOOK_DEFER_ABOVE_PER_SECOND: 3, WEBHOOK_DEFER_MAX_SECONDS: 120 },
      }),
    );
  const instance = instances.start;
  let clock = Date.now();
  /** One Bridge event (a newer provider time each), posted and acknowledged; its event id. */
  async function postBridge(base: string, kycLinkId: string, kyc: string) {
    const eventId = `wh_burst_${Math.random().toString(36).slice(2)}`;
    const body = JSON.stringify({
      api_version: 'v0',
      event_id: eventId,
      event_category: 'kyc_link',
      event_type: 'kyc_link.updated.status_transitioned',
      event_object_id: kycLinkId,
      event_object_status: kyc,
      event_object: { id: kycLinkId, kyc_status: kyc, tos_status: 'pending' },
      event_created_at: new Date((clock += 1_000)).toISOString(),
    });
    const res = await request(`${base}/users/webhook/kyc`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-signature': signBridgeWebhook(TEST_BRIDGE_WEBHOOK_PRIVATE_KEY, body, Date.now()),
      },
      body,
    });
    expect([res.status, res.json.data]).toEqual([200, { received: true, duplicate: false }]);
    return eventId;
  }
  /** The Bridge event ids the run received, in the order of its history. */
  async function bridgeSignalsOf(userId: string): Promise<string[]> {
    const history = await t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).fetchHistory();
    const out: string[] = [];
    for (const e of history.events ?? []) {
      const s = e.workflowExecutionSignaledEventAttributes;
      if (s?.signalName !== 'bridgeEvent') continue;
      const signal = await decodeFromPayloadsAtIndex<BridgeEventSignal>(
        t.stack.deps.temporal.options.loadedDataConverter,
        0,
        s.input?.payloads,
      );
      out.push(signal.eventId);
    }
    return out;
  }
  const pendingCount = () => t.stack.deps.models.WebhookPendingSignal.countDocuments();
  const statuses = ['under_review', 'incomplete', 'under_review', 'incomplete', 'under_review', 'incomplete'];

  it('holds the signals during the burst, then delivers every one, each run in the order received', async () => {
    const [a, b] = [await awaitingBridge(), await awaitingBridge()];
    const signals = deferring();
    const base = await instance(signals);
    const sent: Record<string, string[]> = { [a.userId]: [], [b.userId]: [] };
    for (const kyc of statuses) for (const u of [a, b]) sent[u.userId].push(await postBridge(base, u.kycLinkId, kyc));
    // 12 acks in a few seconds: the first ones went out while the last second saw ≤ 3 webhooks,
    // then the dispatcher held the rest (most of them).
    const during = signals.backlog();
    expect(during.deferring).toBe(true);
    expect(during.queued).toBeGreaterThanOrEqual(6);

    // The burst is over once the last second saw ≤ 3 webhooks: the backlog drains by itself.
    for (const u of [a, b])
      await t.waitFor(
        () => bridgeSignalsOf(u.userId),
        (got) => got.length >= sent[u.userId].length,
        30_000,
      );
    await signals.idle();
    for (const u of [a, b]) expect(await bridgeSignalsOf(u.userId)).toEqual(sent[u.userId]);
    expect(signals.backlog()).toMatchObject({ queued: 0, deferring: false });
    expect(await pendingCount()).toBe(0);
  });

  it('loses nothing and keeps each run’s order when the process stops mid-backlog and another starts', async () => {
    const u = await awaitingBridge();
    const first = deferring();
    const sent: string[] = [];
    const base = await instance(first);
    for (const kyc of statuses) sent.push(await postBridge(base, u.kycLinkId, kyc));
    const held = first.backlog();
    expect(held.deferring).toBe(true);
    expect(held.queued).toBeGreaterThanOrEqual(3);
    // The process goes away with its backlog in memory only: the pending entries are what is left.
    await first.stop();
    expect(await pendingCount()).toBe(held.queued);

    // The next process queues what was left, oldest first, before any fresh event.
    const next = deferring();
    const nextBase = await instance(next);
    expect(await next.recover(100)).toBe(held.queued);
    for (const kyc of ['under_review', 'incomplete']) sent.push(await postBridge(nextBase, u.kycLinkId, kyc));
    const sweeper = startWebhookSweeper({
      signals: next,
      logger: t.stack.deps.logger,
      intervalMs: 500,
      afterMs: 0,
      batch: 100,
    });
    try {
      await t.waitFor(
        () => bridgeSignalsOf(u.userId),
        (got) => got.length >= sent.length,
        30_000,
      );
    } finally {
      await sweeper.stop();
    }
    await next.idle();
    expect(await bridgeSignalsOf(u.userId)).toEqual(sent);
    expect(await pendingCount()).toBe(0);
  });
});
