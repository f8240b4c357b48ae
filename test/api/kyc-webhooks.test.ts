import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { countWebhookDeliveries } from '../../adapters/models/webhook-delivery';
import { veriffSignature } from '../../adapters/providers/veriff/signature';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { TEST_SECRETS } from '../helpers/config';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// Provider webhooks against the real API, workflow and database: signatures, staleness,
// duplicates and out-of-order delivery.
describe('KYC webhooks', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack();
  });
  afterAll(() => t?.close());

  const { postVeriff, postBridge, veriffEvent, veriffDecision, bridgeEvent, withSession } = kycWebhooks(() => t);
  const inboxCount = () => t.stack.deps.models.WebhookEvent.countDocuments();

  it('refuses forged Veriff webhooks before anything is stored', async () => {
    const { userId, sessionId } = await withSession();
    const before = await inboxCount();
    const payload = veriffDecision(sessionId, userId, 'approved');
    expect(
      (await postVeriff(payload, veriffSignature('not-the-shared-secret-at-all', JSON.stringify(payload)))).json.error
        .code,
    ).toBe('INVALID_SIGNATURE');
    expect((await postVeriff(payload, '')).status).toBe(401);
    // A valid signature over a different body (tampered in transit).
    const other = veriffSignature(
      TEST_SECRETS.VERIFF_SHARED_SECRET,
      JSON.stringify(veriffDecision(sessionId, userId, 'declined')),
    );
    expect((await postVeriff(payload, other)).status).toBe(401);
    expect(await inboxCount()).toBe(before);
    expect((await t.onboarding(userId, await t.tokenFor(userId))).veriff.status).toBe('created');
  });

  it('refuses forged and stale Bridge webhooks', async () => {
    const before = await inboxCount();
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forged = await postBridge(bridgeEvent('kl-x', Date.now(), 'approved', 'approved'), { key: privateKey });
    expect([forged.status, forged.json.error.code]).toEqual([401, 'INVALID_SIGNATURE']);
    const stale = await postBridge(bridgeEvent('kl-x', Date.now(), 'approved', 'approved'), {
      t: Date.now() - 11 * 60_000,
    });
    expect([stale.status, stale.json.error.code]).toEqual([400, 'STALE_WEBHOOK']);
    const noHeader = await t.api('/users/webhook/kyc', {
      method: 'POST',
      json: bridgeEvent('kl-x', Date.now(), 'approved', 'approved'),
    });
    expect(noHeader.status).toBe(401);
    expect(await inboxCount()).toBe(before);
  });

  it('takes a webhook delivered three times once', async () => {
    const { userId, sessionId } = await withSession();
    const payload = veriffEvent(sessionId, userId, 'submitted');
    const answers = [await postVeriff(payload), await postVeriff(payload), await postVeriff(payload)];
    expect(answers.map((a) => [a.status, a.json.data.duplicate])).toEqual([
      [200, false],
      [200, true],
      [200, true],
    ]);
    const inbox = await t.stack.deps.models.WebhookEvent.find({ workflowId: onboardingWorkflowId(userId) }).lean();
    expect(
      await Promise.all(
        inbox.map(async (e) => [e.eventType, await countWebhookDeliveries(t.stack.deps.models.WebhookDelivery, e._id)]),
      ),
    ).toEqual([['event.submitted', 3]]);
    const headers = await t.tokenFor(userId);
    await t.waitFor(
      () => t.onboarding(userId, headers),
      (o) => o.step === 'awaiting_kyc_decision',
    );
    const history = await t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).fetchHistory();
    expect(history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBe(1);
    expect(await t.stack.deps.models.AuditEvent.countDocuments({ subject: userId })).toBe(1);
  });

  it('answers 2xx for events about unknown users and keeps them for operators', async () => {
    const stranger = randomUUID();
    const res = await postVeriff(veriffDecision(randomUUID(), stranger, 'approved'));
    expect(res.status).toBe(200);
    // The ack does not wait for the signal: the dispatcher finds no such run and marks it after.
    const doc = await t.waitFor(
      () => t.stack.deps.models.WebhookEvent.findOne({ workflowId: onboardingWorkflowId(stranger) }).lean(),
      (d) => d?.unroutable === true,
    );
    expect(doc).toMatchObject({ unroutable: true, signaledAt: null });
    // The inbox mark comes before the pending entry's removal (a crash between them re-sends), so
    // the removal is awaited, not read at the instant the mark appears.
    await t.waitFor(
      () => t.stack.deps.models.WebhookPendingSignal.findById(doc!._id).lean(),
      (pending) => pending === null,
    );
  });

  it('settles on the same final state whether events arrive in order or shuffled and repeated', async () => {
    async function run(shuffle: <T>(xs: T[]) => T[]) {
      const { userId, sessionId, headers } = await withSession();
      for (const p of shuffle([
        veriffEvent(sessionId, userId, 'started'),
        veriffEvent(sessionId, userId, 'submitted'),
        veriffDecision(sessionId, userId, 'approved'),
      ])) {
        expect((await postVeriff(p)).status).toBe(200);
      }
      await t.waitFor(
        () => t.onboarding(userId, headers),
        (o) => o.step === 'awaiting_bridge_link',
      );
      const link = await t.api(`/users/${userId}/bridge-kyc`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `key-${userId}` },
      });
      const id = link.json.data.kycLinkId;
      // Bridge webhooks reach the user through an `_id`-keyed owner record, not a scan of users.
      const owners = await t.stack.deps.models.BridgeObjectOwner.find({ userId }).lean();
      expect(owners.map((x) => x._id).sort()).toEqual([`customer:${link.json.data.customerId}`, `kyc_link:${id}`]);
      const base = Date.now() - 60_000;
      const events = [
        bridgeEvent(id, base, 'under_review', 'pending'),
        bridgeEvent(id, base + 1000, 'under_review', 'approved'),
        bridgeEvent(id, base + 2000, 'approved', 'approved'),
      ];
      for (const p of shuffle(events)) expect((await postBridge(p)).status).toBe(200);
      const o = await t.waitFor(
        () => t.onboarding(userId, headers),
        (s) => s.outcome !== null,
      );
      const user = (await t.stack.deps.models.User.findById(userId).lean())!;
      const kyc = user.kyc as { veriff: { status: string }; bridge: { kycStatus: string; tosStatus: string } };
      return {
        step: o.step,
        outcome: o.outcome,
        kycLevel: o.kycLevel,
        veriff: o.veriff.status,
        resubmissions: o.veriff.resubmissions,
        bridge: [o.bridge.kycStatus, o.bridge.tosStatus],
        user: [user.status, user.kycLevel, kyc.veriff.status, kyc.bridge.kycStatus, kyc.bridge.tosStatus],
      };
    }
    const inOrder = await run((xs) => xs);
    const shuffled = await run((xs) => [...xs].reverse().flatMap((x) => [x, x]));
    expect(inOrder).toEqual({
      step: 'active',
      outcome: 'active',
      kycLevel: 'advanced',
      veriff: 'approved',
      resubmissions: 0,
      bridge: ['approved', 'approved'],
      user: ['active', 'advanced', 'approved', 'approved', 'approved'],
    });
    expect(shuffled).toEqual(inOrder);
  });
});
