import fs from 'node:fs';
import path from 'node:path';

import { historyToJSON } from '@temporalio/common/lib/proto-utils';

import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { SA } from '../../domain/search-attributes';
import { type OnboardingStack, startOnboardingStack } from '../helpers/onboarding-stack';

// The whole journey over HTTP: API, real workflow and activities, real Veriff/Bridge sandbox
// sending signed webhooks back. Set RECORD_HISTORIES=1 to save the run for the replay test.
describe('onboarding journey end to end', () => {
  let t: OnboardingStack;
  beforeAll(async () => {
    t = await startOnboardingStack({ config: { BRIDGE_SKIP_COUNTRIES: 'GH' } });
  });
  afterAll(() => t?.close());

  async function saveHistory(userId: string, name: string) {
    if (!process.env.RECORD_HISTORIES) return;
    const history = await t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId)).fetchHistory();
    // Suffixed with the workflow's latest patches (RECORD_HISTORIES_SUFFIX names a new set), so a new
    // recording never replaces an older history.
    const suffix = process.env.RECORD_HISTORIES_SUFFIX ?? '-local-steps';
    fs.writeFileSync(path.join(__dirname, '../replay/histories', `${name}${suffix}.json`), historyToJSON(history));
  }

  it('register → confirm → Veriff approves → Bridge ToS + KYC approve → active', async () => {
    const { userId, headers } = await t.confirmedUser();
    const step = (s: string) =>
      t.waitFor(
        () => t.onboarding(userId, headers),
        (o) => o?.step === s,
      );

    const session = await t.api(`/users/${userId}/kyc-session`, { method: 'POST', headers });
    expect(session.status).toBe(201);
    expect(session.json.data.url).toContain(`/veriff/session/${session.json.data.sessionId}`);
    const veriff = (status: string) => t.ctl(`/veriff/sessions/${session.json.data.sessionId}/decision`, { status });
    expect((await veriff('started')).json.webhook.delivered).toBe(true);
    await veriff('submitted');
    await step('awaiting_kyc_decision');
    expect((await t.stack.deps.models.User.findById(userId).lean())!.status).toBe('pending_verification');
    // The operator's "in this step for N days" query (README) goes by when the run entered the step.
    const inDecisionSince = async (before: Date) => {
      const query = `WorkflowId = '${onboardingWorkflowId(userId)}' AND OnboardingStep = 'awaiting_kyc_decision' AND StepEnteredAt < '${before.toISOString()}'`;
      let n = 0;
      for await (const _ of t.stack.deps.temporal.workflow.list({ query })) n++;
      return n;
    };
    await t.waitFor(
      () => inDecisionSince(new Date(Date.now() + 60_000)),
      (n) => n === 1,
    );
    expect(await inDecisionSince(new Date(Date.now() - 3 * 86_400_000))).toBe(0);
    await veriff('approved');
    await step('awaiting_bridge_link');

    // As seed 000 calls it: no Idempotency-Key header. The key derives from the onboarding.
    const link = await t.api(`/users/${userId}/bridge-kyc`, { method: 'POST', headers });
    expect(link.status).toBe(200);
    expect(Object.keys(link.json.data).sort()).toEqual(['customerId', 'kycLink', 'kycLinkId', 'tosLink']);
    // Same request again, with or without a header: same link, no second link at the provider.
    expect((await t.api(`/users/${userId}/bridge-kyc`, { method: 'POST', headers })).json.data).toEqual(link.json.data);
    expect(
      (
        await t.api(`/users/${userId}/bridge-kyc`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': 'journey-key-1' },
        })
      ).json.data,
    ).toEqual(link.json.data);
    expect(t.sandbox.bridgeLinks.size).toBe(1);

    await t.ctl(`/bridge/kyc_links/${link.json.data.kycLinkId}/kyc`, { status: 'under_review' });
    await t.waitFor(
      () => t.onboarding(userId, headers),
      (o) => o.bridge.kycStatus === 'under_review',
    );
    await t.ctl(`/bridge/kyc_links/${link.json.data.kycLinkId}/tos`);
    await t.ctl(`/bridge/kyc_links/${link.json.data.kycLinkId}/kyc`, { status: 'approved' });
    const done = await step('active');
    expect(done).toMatchObject({
      outcome: 'active',
      kycLevel: 'advanced',
      veriff: { status: 'approved' },
      bridge: { kycStatus: 'approved', tosStatus: 'approved' },
    });

    const user = (await t.stack.deps.models.User.findById(userId).lean())!;
    expect(user).toMatchObject({
      status: 'active',
      kycLevel: 'advanced',
      kyc: { veriff: { status: 'approved' }, bridge: { kycStatus: 'approved', tosStatus: 'approved' } },
    });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    const audit = await t.stack.deps.models.AuditEvent.find({ subject: userId }).sort({ at: 1 }).lean();
    expect(audit.map((a) => (a.to as { status: string }).status)).toEqual(['pending_verification', 'active']);
    expect(t.notifications.filter((n) => n.userId === userId).map((n) => n.event)).toEqual([
      'verification_code',
      'account_activated',
    ]);

    const handle = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(userId));
    await t.waitFor(
      () => handle.describe(),
      (d) => d.status.name === 'COMPLETED',
    );
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(SA.OnboardingStep)).toBe('active');
    expect(desc.typedSearchAttributes.get(SA.KycStatus)).toBe('bridge:approved');
    // Every inbox entry reached the workflow exactly once. The dispatcher marks an entry signalled
    // after its signal call returns, so the run can complete before the last mark is written.
    const inbox = await t.waitFor(
      () => t.stack.deps.models.WebhookEvent.find({ workflowId: onboardingWorkflowId(userId) }).lean(),
      (entries) => entries.every((e) => e.signaledAt),
    );
    expect(inbox).toHaveLength(6);
    expect(inbox.every((e) => e.signaledAt && e.deliveries === 1)).toBe(true);
    await saveHistory(userId, 'onboarding-active-with-bridge');
  });

  // Registering into an existing organization needs an invitation (org_id is refused: docs/onboarding.md),
  // so the Bridge-off path is reached the way a retail user reaches it: a country without the Bridge step.
  it('activates after Veriff approval alone where the Bridge step does not apply (BRIDGE_SKIP_COUNTRIES)', async () => {
    const { userId, headers } = await t.confirmedUser({ country: 'GH' });
    const session = (await t.api(`/users/${userId}/kyc-session`, { method: 'POST', headers })).json.data;
    await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'approved' });
    const done = await t.waitFor(
      () => t.onboarding(userId, headers),
      (o) => o.step === 'active',
    );
    expect(done).toMatchObject({ tenantId: null, kycLevel: 'basic', bridge: { required: false, kycLinkId: null } });
    expect((await t.stack.deps.models.User.findById(userId).lean())!.status).toBe('active');
    await saveHistory(userId, 'onboarding-active-without-bridge');
  });

  it('ends rejected with the reason when Veriff declines', async () => {
    const { userId, headers } = await t.confirmedUser();
    const session = (await t.api(`/users/${userId}/kyc-session`, { method: 'POST', headers })).json.data;
    await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'submitted' });
    await t.ctl(`/veriff/sessions/${session.sessionId}/decision`, { status: 'declined' });
    const user = await t.waitFor(
      () => t.stack.deps.models.User.findById(userId).lean(),
      (u) => u?.status === 'rejected',
    );
    expect((user!.kyc as { veriff: { reason: string } }).veriff.reason).toBe('Physical document not used');
    // Rejection revokes the user's tokens: the read is now refused.
    expect((await t.api(`/users/${userId}/onboarding`, { headers })).json.error.code).toBe('TOKEN_REVOKED');
    await saveHistory(userId, 'onboarding-veriff-declined');
  });
});
