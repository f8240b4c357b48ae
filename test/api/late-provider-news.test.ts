import { accountWorkflowId } from '../../domain/contracts/account.contract';
import { onboardingStateQuery, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { kycWebhooks } from '../helpers/kyc-webhooks';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// Provider news after the onboarding has ended (issue 24, docs/webhooks.md "After the onboarding"),
// through the signed webhook endpoints, the real workflows and database.
describe('provider news after the onboarding ended', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack();
  });
  afterAll(async () => {
    await t?.close();
  });

  const hooks = kycWebhooks(() => t);
  const obState = (userId: string) =>
    t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).query(onboardingStateQuery);
  const userDoc = (userId: string) =>
    t.stack.deps.models.User.findById(userId)
      .lean()
      .then((u) => u!);
  const kycOf = (u: { kyc?: unknown }) =>
    (u.kyc ?? {}) as {
      bridge?: { kycStatus?: string; kycAt?: number };
      veriff?: { lateDecision?: Record<string, unknown> };
    };

  /** Veriff approved, Bridge approved: the onboarding ends with an active user. */
  async function activeUser() {
    const u = await hooks.awaitingBridge();
    const base = Date.now() - 60_000;
    expect((await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, base + 1000, 'approved', 'approved'))).status).toBe(
      200,
    );
    await t.waitFor(
      () => obState(u.userId),
      (o) => o.outcome === 'active',
      30_000,
    );
    return { ...u, base };
  }

  it('a newer non-final Bridge state after approval (under_review) leaves the user active; a newer rejection still rejects', async () => {
    const u = await activeUser();
    expect(
      (await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, u.base + 2000, 'under_review', 'approved'))).status,
    ).toBe(200);
    // Recorded (newest wins per field) once the account workflow took it in, and the status stays.
    const reviewed = await t.waitFor(
      () => userDoc(u.userId),
      (x) => kycOf(x).bridge?.kycAt === u.base + 2000,
      30_000,
    );
    expect([reviewed.status, kycOf(reviewed).bridge?.kycStatus]).toEqual(['active', 'under_review']);
    // An older approval delivered late changes nothing; a newer rejection ends the relationship.
    expect((await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, u.base + 1500, 'approved', 'approved'))).status).toBe(
      200,
    );
    expect((await hooks.postBridge(hooks.bridgeEvent(u.kycLinkId, u.base + 3000, 'rejected', 'approved'))).status).toBe(
      200,
    );
    const rejected = await t.waitFor(
      () => userDoc(u.userId),
      (x) => x.status === 'rejected',
      30_000,
    );
    expect(kycOf(rejected).bridge?.kycStatus).toBe('rejected');
  }, 120_000);

  it('a late Veriff decline reaches the account workflow: recorded and flagged for review, the active user stays active', async () => {
    const u = await activeUser();
    const late = {
      ...hooks.veriffDecision(u.sessionId, u.userId, 'declined'),
      verification: {
        ...hooks.veriffDecision(u.sessionId, u.userId, 'declined').verification,
        code: 9102,
        reason: 'Late re-review',
        decisionTime: new Date().toISOString(),
      },
    };
    const res = await hooks.postVeriff(late);
    expect([res.status, res.json.data]).toEqual([200, { received: true, duplicate: false }]);
    const flagged = await t.waitFor(
      () => userDoc(u.userId),
      (x) => Boolean(kycOf(x).veriff?.lateDecision),
      30_000,
    );
    expect(flagged.status).toBe('active');
    expect(kycOf(flagged).veriff?.lateDecision).toMatchObject({
      sessionId: u.sessionId,
      status: 'declined',
      code: 9102,
      reason: 'Late re-review',
      needsReview: true,
    });
    // Delivered (not kept as unroutable), to the account workflow.
    const inbox = await t.waitFor(
      () =>
        t.stack.deps.models.WebhookEvent.findOne({
          workflowId: onboardingWorkflowId(u.userId),
          eventType: 'decision.declined',
        }).lean(),
      (d) => Boolean(d?.signaledAt),
      30_000,
    );
    expect(inbox!.unroutable).toBe(false);
    expect((await t.stack.deps.temporal.workflow.getHandle(accountWorkflowId(u.userId)).describe()).status.name).toBe(
      'RUNNING',
    );
  }, 120_000);

  it('a late Veriff approval for an active user is recorded without a review flag, and progress news records nothing', async () => {
    const u = await activeUser();
    expect((await hooks.postVeriff(hooks.veriffEvent(u.sessionId, u.userId, 'started'))).status).toBe(200);
    const approved = hooks.veriffDecision(u.sessionId, u.userId, 'approved');
    expect(
      (await hooks.postVeriff({ ...approved, verification: { ...approved.verification, attemptId: 'att-2' } })).status,
    ).toBe(200);
    const recorded = await t.waitFor(
      () => userDoc(u.userId),
      (x) => Boolean(kycOf(x).veriff?.lateDecision),
      30_000,
    );
    expect([
      recorded.status,
      kycOf(recorded).veriff?.lateDecision?.status,
      kycOf(recorded).veriff?.lateDecision?.needsReview,
    ]).toEqual(['active', 'approved', false]);
  }, 120_000);
});
