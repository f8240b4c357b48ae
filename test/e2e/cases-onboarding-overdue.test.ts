import { randomUUID } from 'node:crypto';

import { onboardingStateQuery, onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { casesApi, startCasesStack, stopCasesStack } from '../helpers/cases-stack';
import type { OnboardingStack } from '../helpers/onboarding-stack';

const HOUR_MS = 3_600_000;

/**
 * onboarding_overdue (docs/operations.md): an onboarding waiting in one step past its limit, found
 * by the case sweep in Temporal's visibility store (`OnboardingStep`, `StepEnteredAt`), acted on over
 * the API through the onboarding run's own updates. The limit is 3 s here
 * (CASE_ONBOARDING_OVERDUE_SECONDS; in production the step's reminder time), so registering over
 * HTTP and waiting a moment makes the case.
 */
describe('cases: overdue onboardings', () => {
  let t: OnboardingStack;
  const { staff, act, listedCase } = casesApi(() => t);
  beforeAll(async () => {
    t = await startCasesStack({
      config: { CASE_ONBOARDING_OVERDUE_SECONDS: '3', CONFIRM_CODE_RESEND_COOLDOWN_SECONDS: '1' },
    });
  }, 120_000);
  afterAll(() => stopCasesStack(t));

  const tenantOf = async (userId: string) =>
    (await t.waitFor(
      () => t.stack.deps.models.User.findById(userId).lean(),
      (u) => !!u?.tenantId,
    ))!.tenantId!;
  const overdueCase = (userId: string, headers: Record<string, string>) =>
    listedCase(headers, `onboarding_overdue:${userId}`, 'onboarding_overdue', {
      timeoutMs: 60_000,
      sweepWhilePolling: true,
    });
  const audit = (userId: string) =>
    t.stack.deps.models.AuditEvent.find({ subject: `onboarding_overdue:${userId}` })
      .sort({ createdAt: 1 })
      .lean();

  it('waiting for the email confirmation: resend sends a new code that confirms; then the case has moved on; other tenants refused', async () => {
    const email = `${randomUUID()}@example.test`;
    const reg = await t.api('/users/register', {
      method: 'POST',
      json: {
        email,
        password: 'correct horse battery',
        firstName: 'Ada',
        lastName: 'Obi',
        country: 'NG',
        org_name: `Overdue Org ${randomUUID().slice(0, 8)}`,
      },
    });
    expect(reg.status).toBe(201);
    const userId: string = reg.json.data.userId;
    const tenantId = await tenantOf(userId);
    const officer = await staff(tenantId, 'COMPLIANCE_OFFICER');
    const listed = await overdueCase(userId, officer.headers);
    expect(listed).toMatchObject({
      kind: 'onboarding_overdue',
      subjectType: 'user',
      tenantId,
      ownerUserId: userId,
      workflowId: onboardingWorkflowId(userId),
      temporalUrl: expect.stringContaining(onboardingWorkflowId(userId)),
      actions: ['resend', 'extend_deadline', 'cancel'],
      why: { step: 'awaiting_confirmation', since: expect.any(String), detail: expect.stringContaining('3 s') },
    });

    // Another tenant's officer neither sees nor acts on it.
    const stranger = await staff(randomUUID(), 'COMPLIANCE_OFFICER');
    const theirs = await t.api('/cases?kind=onboarding_overdue&limit=100', { headers: stranger.headers });
    expect(theirs.json.data.items.map((c: { id: string }) => c.id)).not.toContain(listed.id);
    const refused = await act(stranger.headers, listed.id, { action: 'resend' });
    expect([refused.status, refused.json.error.code]).toEqual([403, 'FORBIDDEN_TENANT']);

    const codes = () => t.notifications.filter((n) => n.userId === userId && n.data.code);
    const before = codes().length;
    const key = `resend-${randomUUID()}`;
    const sent = await act(officer.headers, listed.id, { action: 'resend' }, key);
    expect(sent.status).toBe(200);
    expect(sent.json.data).toMatchObject({
      outcome: { step: 'awaiting_confirmation', sent: 'verification_code', resendsLeft: expect.any(Number) },
      case: { open: true },
      replayed: false,
    });
    await t.waitFor(codes, (list) => list.length === before + 1);
    // The same key again: the first answer, no second email.
    const again = await act(officer.headers, listed.id, { action: 'resend' }, key);
    expect(again.json.data).toMatchObject({ replayed: true, outcome: { sent: 'verification_code' } });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(codes()).toHaveLength(before + 1);

    // The new code works: the user confirms, the onboarding moves on, and so does the case.
    const conf = await t.api('/users/confirm', { method: 'POST', json: { email, code: codes().at(-1)!.data.code } });
    expect(conf.status).toBe(200);
    const late = await act(officer.headers, listed.id, { action: 'resend' });
    expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);
    expect(late.json.error.details.case).toMatchObject({ id: listed.id, open: false, resolution: 'resolved' });

    expect(await audit(userId)).toEqual([
      expect.objectContaining({
        action: 'case.resend',
        actor: officer.user._id,
        tenantId,
        requestId: expect.any(String),
      }),
    ]);
  }, 180_000);

  it('waiting in a KYC step: extend_deadline moves the end, resend sends the step reminder, cancel abandons the onboarding', async () => {
    const u = await t.confirmedUser({ org_name: `Overdue Org ${randomUUID().slice(0, 8)}` });
    const tenantId = await tenantOf(u.userId);
    const admin = await staff(tenantId, 'BANK_ADMIN');
    const listed = await overdueCase(u.userId, admin.headers);
    expect(listed).toMatchObject({ tenantId, why: { step: 'awaiting_kyc_session', lastProviderEvent: 'veriff:none' } });

    const extended = await act(admin.headers, listed.id, {
      action: 'extend_deadline',
      hours: 48,
      reason: 'on holiday',
    });
    expect(extended.status).toBe(200);
    expect(extended.json.data).toMatchObject({
      outcome: { step: 'awaiting_kyc_session', extendedHours: 48 },
      case: { open: true },
    });
    // The wait now ends KYC_STEP_ABANDON_AFTER_HOURS + 48 h after the step began.
    const abandonAfterMs = t.stack.deps.config.KYC_STEP_ABANDON_AFTER_HOURS * HOUR_MS;
    const endsAt = new Date(extended.json.data.outcome.endsAt as string).getTime();
    expect(
      Math.abs(
        endsAt - new Date((listed.why as unknown as { since: string }).since).getTime() - abandonAfterMs - 48 * HOUR_MS,
      ),
    ).toBeLessThan(5_000);

    const reminded = await act(admin.headers, listed.id, { action: 'resend' });
    expect(reminded.status).toBe(200);
    const notificationId = reminded.json.data.outcome.notificationId as string;
    expect(reminded.json.data.outcome).toMatchObject({ step: 'awaiting_kyc_session', sent: 'kyc_status_update' });
    expect(notificationId).toContain('operator-reminder.awaiting_kyc_session');
    await t.waitFor(
      () => t.notifications.filter((n) => n.notificationId === notificationId),
      (list) => list.length === 1 && list[0].event === 'kyc_status_update',
    );

    const noReason = await act(admin.headers, listed.id, { action: 'cancel' });
    expect([noReason.status, noReason.json.error.code]).toEqual([400, 'REASON_REQUIRED']);
    const cancelled = await act(admin.headers, listed.id, { action: 'cancel', reason: 'asked us to stop' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.data).toMatchObject({
      outcome: { step: 'awaiting_kyc_session', outcome: 'abandoned' },
      case: { open: false, resolution: 'action:cancel' },
    });
    const handle = t.stack.deps.temporal.workflow.getHandle(onboardingWorkflowId(u.userId));
    expect(await handle.query(onboardingStateQuery)).toMatchObject({ outcome: 'abandoned', step: 'abandoned' });
    expect(await handle.result()).toEqual({ outcome: 'abandoned' });
    const late = await act(admin.headers, listed.id, { action: 'cancel', reason: 'again' });
    expect([late.status, late.json.error.code]).toEqual([409, 'CASE_MOVED_ON']);

    expect((await audit(u.userId)).map((e) => [e.action, e.actor, e.reason])).toEqual([
      ['case.extend_deadline', admin.user._id, 'on holiday'],
      ['case.resend', admin.user._id, null],
      ['case.cancel', admin.user._id, 'asked us to stop'],
    ]);
  }, 180_000);
});
