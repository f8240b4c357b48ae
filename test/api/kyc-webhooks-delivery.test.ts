import { Client, Connection } from '@temporalio/client';

import { countWebhookDeliveries } from '../../adapters/models/webhook-delivery';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { apiWebhookSignals } from '../../services/api/webhooks/webhook-signals';
import { startWebhookSweeper } from '../../services/api/webhooks/webhook-sweeper';
import { apiInstances, postVeriffTo } from '../helpers/api-instances';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// The webhook ack does not wait for the signal (docs/webhooks.md): these check that an acknowledged
// webhook still reaches its workflow when the dispatcher never sent it (crash between the 200 and
// the signal), and that concurrent repeats across API instances still have one effect.
describe('KYC webhooks delivered after the ack', () => {
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

  const { veriffEvent, withSession } = kycWebhooks(() => t);
  const instance = instances.start;
  const signalsOf = async (userId: string) =>
    (await t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).fetchHistory()).events!.filter(
      (e) => e.workflowExecutionSignaledEventAttributes,
    ).length;

  it('delivers, through the sweeper, a webhook acknowledged by an instance that never sent its signal', async () => {
    const { userId, sessionId, headers } = await withSession();
    // The instance "crashes" between the 200 and the signal: its dispatcher is stopped, so it takes nothing.
    const crashed = apiWebhookSignals(t.stack.deps);
    await crashed.stop();
    const base = await instance(crashed);
    const res = await postVeriffTo(base, veriffEvent(sessionId, userId, 'submitted'));
    expect([res.status, res.json.data]).toEqual([200, { received: true, duplicate: false }]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await signalsOf(userId)).toBe(0);
    expect((await t.onboarding(userId, headers)).step).toBe('awaiting_kyc_submission');

    // A sweep only takes entries older than its age: a fresh one is still the dispatcher's.
    const survivor = instances.track(apiWebhookSignals(t.stack.deps));
    expect(await survivor.sweep(60_000, 100)).toBe(0);
    const sweeper = startWebhookSweeper({
      signals: survivor,
      logger: t.stack.deps.logger,
      intervalMs: 60_000,
      afterMs: 0,
      batch: 100,
    });
    try {
      await sweeper.sweepNow();
      await t.waitFor(
        () => t.onboarding(userId, headers),
        (o) => o.step === 'awaiting_kyc_decision',
      );
    } finally {
      await sweeper.stop();
    }
    await survivor.idle();
    expect(await signalsOf(userId)).toBe(1);
    const inbox = await t.stack.deps.models.WebhookEvent.findById(`veriff:event:${sessionId}:att-1:submitted`).lean();
    expect(inbox?.signaledAt).toBeInstanceOf(Date);
    // Delivered, so nothing is left for the next sweep.
    expect(await survivor.sweep(0, 100)).toBe(0);
  });

  it('re-drives a signal that failed because Temporal was unreachable', async () => {
    const { userId, sessionId, headers } = await withSession();
    // Nothing listens on port 1: every signal this dispatcher sends fails (after the client's retries).
    const unreachable = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' }) });
    const failing = apiWebhookSignals({ ...t.stack.deps, temporal: unreachable });
    try {
      const base = await instance(failing);
      expect((await postVeriffTo(base, veriffEvent(sessionId, userId, 'submitted'))).status).toBe(200);
      await failing.idle();
      expect(await signalsOf(userId)).toBe(0);
    } finally {
      await unreachable.connection.close().catch(() => undefined);
    }
    const survivor = instances.track(apiWebhookSignals(t.stack.deps));
    expect(await survivor.sweep(0, 100)).toBe(1);
    await t.waitFor(
      () => t.onboarding(userId, headers),
      (o) => o.step === 'awaiting_kyc_decision',
    );
    await survivor.idle();
    expect(await signalsOf(userId)).toBe(1);
  });

  it('has one effect for 50 concurrent deliveries of one event across two API instances', async () => {
    const { userId, sessionId, headers } = await withSession();
    const bases = [t.stack.url, await instance(apiWebhookSignals(t.stack.deps))];
    const payload = veriffEvent(sessionId, userId, 'submitted');
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postVeriffTo(bases[i % 2], payload)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(answers.filter((a) => a.json.data.duplicate === false)).toHaveLength(1);
    await t.waitFor(
      () => t.onboarding(userId, headers),
      (o) => o.step === 'awaiting_kyc_decision',
    );
    const id = `veriff:event:${sessionId}:att-1:submitted`;
    await t.waitFor(
      () => t.stack.deps.models.WebhookEvent.findById(id).lean(),
      (e) => e?.signaledAt instanceof Date,
    );
    expect(await countWebhookDeliveries(t.stack.deps.models.WebhookDelivery, id)).toBe(50);
    // Each instance may have sent it once; the workflow applied it once (one audit event, one step).
    expect(await signalsOf(userId)).toBeGreaterThanOrEqual(1);
    expect(await signalsOf(userId)).toBeLessThanOrEqual(2);
    expect(await t.stack.deps.models.AuditEvent.countDocuments({ subject: userId })).toBe(1);
    const o = await t.onboarding(userId, headers);
    expect([o.step, o.veriff.status]).toEqual(['awaiting_kyc_decision', 'submitted']);
  });
});
