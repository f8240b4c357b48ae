import fs from 'node:fs';
import path from 'node:path';

import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import { changeUserStatusUpdate } from '../../domain/contracts/account.contract';
import {
  bridgeEventSignal,
  confirmEmailUpdate,
  createBridgeLinkUpdate,
  createKycSessionUpdate,
  resendCodeUpdate,
  type VeriffEventSignal,
  veriffEventSignal,
} from '../../domain/contracts/onboarding.contract';
import { SA } from '../../domain/search-attributes';

const { EventType } = temporal.api.enums.v1;
import { createTimeSkippingEnv } from '../helpers/temporal';
import {
  eventually,
  failureType,
  type Fakes,
  HOUR,
  POLICY,
  register,
  startOnboarding,
  startOnboardingWorkers,
  state,
} from './onboarding-fakes';

// Every branch of the onboarding workflow on the time-skipping server, activities faked with
// the real factories' types. Queue names end like the real ones so siblingQueue() resolves.
describe('onboarding workflow', () => {
  let env: TestWorkflowEnvironment;
  let fakes: Fakes;
  let workers: Awaited<ReturnType<typeof startOnboardingWorkers>>;
  let queue: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    workers = await startOnboardingWorkers(env, 'obwf');
    ({ fakes, queue } = workers);
  });
  afterAll(async () => {
    await workers?.close();
    await env?.teardown();
  });

  const lastCode = (userId: string) => {
    const n = fakes.rec(userId).notifications.filter((x) => x.data.code);
    return n[n.length - 1]?.data.code;
  };
  const confirm = (h: WorkflowHandle, code: string) =>
    h.executeUpdate(confirmEmailUpdate, { args: [{ codeDigest: `digest:${code}` }] });
  let eventSeq = 0;
  const veriff = (
    h: WorkflowHandle,
    sessionId: string,
    status: VeriffEventSignal['status'],
    reason: string | null = null,
  ) =>
    h.signal(veriffEventSignal, {
      eventKey: `e${++eventSeq}`,
      sessionId,
      kind: status === 'started' || status === 'submitted' ? 'event' : 'decision',
      status,
      code: null,
      reason,
    });
  const bridge = (h: WorkflowHandle, createdAtMs: number, kycStatus: string | null, tosStatus: string | null) =>
    h.signal(bridgeEventSignal, {
      eventId: `wh_${++eventSeq}`,
      createdAtMs,
      kycStatus,
      tosStatus,
      rejectionReasons: [],
    });
  const stepIs = (h: WorkflowHandle, step: string) =>
    eventually(
      () => state(h),
      (s) => s.step === step,
    );
  /**
   * RECORD_HISTORIES=1 saves the run for the replay test (one per branch of the code and Veriff
   * rules); RECORD_HISTORIES_SUFFIX names a new set, so the shapes recorded earlier stay.
   */
  const record = async (h: WorkflowHandle, name: string) => {
    const file = `${name}${process.env.RECORD_HISTORIES_SUFFIX ?? ''}.json`;
    if (process.env.RECORD_HISTORIES)
      fs.writeFileSync(path.join(__dirname, '../replay/histories', file), historyToJSON(await h.fetchHistory()));
  };

  /** The run's history in numbers: what each workflow task, activity task and upsert costs the server. */
  async function historyShape(h: WorkflowHandle) {
    const events = (await h.fetchHistory()).events ?? [];
    const type = (e: (typeof events)[number]) => EventType[e.eventType ?? 0];
    const firstTaskEnd = events.findIndex((e, i) => i > 3 && type(e) === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
    return {
      events: events.length,
      activityTasks: events
        .filter((e) => type(e) === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')
        .map((e) => e.activityTaskScheduledEventAttributes!.activityType!.name!),
      workflowTasks: events.filter((e) => type(e) === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED').length,
      upserts: events.filter((e) => type(e) === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES').length,
      upsertsInFirstTask: events
        .slice(0, firstTaskEnd)
        .filter((e) => type(e) === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES').length,
      patches: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length,
      timersStarted: events.filter((e) => type(e) === 'EVENT_TYPE_TIMER_STARTED').length,
    };
  }

  /** Registered and confirmed, with a Veriff session: the common start of the KYC branches. */
  async function toKycSubmission(overrides = {}) {
    const { userId, handle } = await startOnboarding(env, queue, overrides);
    await register(handle);
    await eventually(async () => lastCode(userId), Boolean);
    await confirm(handle, lastCode(userId)!);
    await stepIs(handle, 'awaiting_kyc_session');
    const session = await handle.executeUpdate(createKycSessionUpdate);
    return { userId, handle, session };
  }

  it('runs the whole journey to active with Bridge, keeping search attributes current', async () => {
    const { userId, handle } = await startOnboarding(env, queue);
    expect(await register(handle)).toEqual({ userId, tenantId: null, status: 'not_verified' });
    // A retry of the same request gets the same answer.
    expect(await register(handle)).toEqual({ userId, tenantId: null, status: 'not_verified' });

    await eventually(async () => lastCode(userId), Boolean);
    const wrong = await failureType(confirm(handle, '000000'));
    expect(wrong).toEqual({ type: 'INVALID_CODE', details: [{ remainingAttempts: 4 }] });
    await confirm(handle, lastCode(userId)!);
    // Once the mailbox is proven, any other request for this address is refused.
    expect((await failureType(register(handle, 'other'))).type).toBe('EMAIL_TAKEN');
    expect((await failureType(confirm(handle, lastCode(userId)!))).type).toBe('ALREADY_CONFIRMED');

    const session = await handle.executeUpdate(createKycSessionUpdate);
    expect(session).toEqual({ sessionId: `sess-${userId}-1`, url: 'https://veriff.test/s/1' });
    // Asking again hands out the same session, not a new one.
    expect(await handle.executeUpdate(createKycSessionUpdate)).toEqual(session);
    expect(
      (await failureType(handle.executeUpdate(createBridgeLinkUpdate, { args: [{ idempotencyKey: 'k' }] }))).type,
    ).toBe('WRONG_STEP');

    await veriff(handle, session.sessionId, 'started');
    await veriff(handle, session.sessionId, 'submitted');
    await stepIs(handle, 'awaiting_kyc_decision');
    expect(fakes.rec(userId).statuses.map((s) => s.status)).toEqual(['pending_verification']);
    await veriff(handle, session.sessionId, 'approved');
    await stepIs(handle, 'awaiting_bridge_link');

    const link = await handle.executeUpdate(createBridgeLinkUpdate, { args: [{ idempotencyKey: 'idem-1' }] });
    expect(link).toEqual({
      kycLinkId: `kl-${userId}`,
      kycLink: 'https://bridge.test/kyc',
      tosLink: 'https://bridge.test/tos',
      customerId: `cus-${userId}`,
    });
    expect(await handle.executeUpdate(createBridgeLinkUpdate, { args: [{ idempotencyKey: 'idem-1' }] })).toEqual(link);
    expect(fakes.rec(userId).links).toBe(1);
    await stepIs(handle, 'awaiting_bridge_approval');

    await bridge(handle, 1000, 'under_review', 'pending');
    const visible = await eventually(
      () => state(handle),
      (s) => s.bridge.kycStatus === 'under_review',
    );
    expect(visible.bridge.tosStatus).toBe('pending');
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(SA.OnboardingStep)).toBe('awaiting_bridge_approval');
    expect(desc.typedSearchAttributes.get(SA.KycStatus)).toBe('bridge:under_review');
    expect(desc.typedSearchAttributes.get(SA.TenantId)).toBe('none');
    const enteredAt = desc.typedSearchAttributes.get(SA.StepEnteredAt);
    expect(enteredAt).toBeInstanceOf(Date);
    expect(enteredAt!.getTime()).toBeGreaterThanOrEqual(desc.startTime.getTime());

    await bridge(handle, 2000, 'under_review', 'approved');
    await bridge(handle, 3000, 'approved', 'approved');
    expect(await handle.result()).toEqual({ outcome: 'active' });

    const final = await state(handle);
    expect(final).toMatchObject({ step: 'active', outcome: 'active', kycLevel: 'advanced' });
    expect(final.timestamps.activatedAt).not.toBeNull();
    const rec = fakes.rec(userId);
    expect(rec.statuses.map((s) => [s.status, s.kycLevel])).toEqual([
      ['pending_verification', undefined],
      ['active', 'advanced'],
    ]);
    const activated = rec.notifications.find((n) => n.event === 'account_activated')!;
    expect(activated.channels).toEqual(['email', 'sms', 'push']);
    expect(rec.notifications.map((n) => n.event)).toEqual(['verification_code', 'account_activated']);
    // Deterministic ids: the run's id plus the step, so a retry can never send twice.
    expect(activated.notificationId).toMatch(new RegExp(`^onboarding-${userId}\\.[0-9a-f-]+\\.activated$`));
    expect((await handle.describe()).typedSearchAttributes.get(SA.OnboardingStep)).toBe('active');

    // Two patch markers (one-step-timer, fold-bridge-write); the registration's task upserts once
    // (tenant + step in one event); only the provider calls are activity tasks; one upsert per step
    // and per KYC status change.
    const shape = await historyShape(handle);
    expect(shape.patches).toBe(2);
    // One deadline timer per step entry (confirmation, KYC session, submission, decision, Bridge
    // link, Bridge approval), not one per event: the two Bridge events share the approval's timer.
    expect(shape.timersStarted).toBe(6);
    expect(shape.upsertsInFirstTask).toBe(1);
    expect(shape.activityTasks).toEqual(['createVeriffSession', 'createBridgeKycLink']);
    // 7 steps (confirmation, KYC session, submission, decision, Bridge link, Bridge approval,
    // active) + 2 Bridge status changes (under_review, approved; the ToS approval leaves KycStatus
    // as it was) + TemporalChangeVersion per patch.
    expect(shape.upserts).toBe(11);
    // Bridge's state: the link, the two events before the approval, and the approving event's
    // state written with the activation (no write of its own).
    expect(rec.kyc.filter((k) => k.provider === 'bridge').map((k) => k.state.kycStatus)).toEqual([
      'not_started',
      'under_review',
      'under_review',
      'approved',
    ]);
    await record(handle, 'onboarding-active-with-bridge');
  });

  it('activates right after Veriff approval when the Bridge step is switched off', async () => {
    const userId = 'c0ffee00-0000-4000-8000-000000000001';
    fakes.createResult.set(userId, { ok: true, tenantId: 'tenant-1', bridgeRequired: false });
    const { handle, session } = await toKycSubmission({ userId });
    await veriff(handle, session.sessionId, 'approved');
    expect(await handle.result()).toEqual({ outcome: 'active' });
    expect((await state(handle)).kycLevel).toBe('basic');
    expect(fakes.rec(userId).statuses.map((s) => [s.status, s.kycLevel])).toEqual([['active', 'basic']]);
    expect((await handle.describe()).typedSearchAttributes.get(SA.TenantId)).toBe('tenant-1');
  });

  it('sends a reminder at exactly 24 h and abandons at exactly 72 h without confirmation', async () => {
    const { userId, handle } = await startOnboarding(env, queue);
    await register(handle);
    await eventually(async () => lastCode(userId), Boolean);
    const registeredAt = Date.parse((await state(handle)).timestamps.registeredAt);
    expect((await state(handle)).nextReminderAt).toBe(new Date(registeredAt + 24 * HOUR).toISOString());

    await env.sleep(24 * HOUR - 60_000);
    expect(fakes.rec(userId).notifications.map((n) => n.event)).toEqual(['verification_code']);
    await env.sleep(120_000);
    const reminder = await eventually(
      async () => fakes.rec(userId).notifications.find((n) => n.event === 'confirm_reminder'),
      Boolean,
    );
    expect(Math.abs(reminder!.at - (registeredAt + 24 * HOUR))).toBeLessThan(2_000);
    expect(reminder!.data.code).toBeDefined();
    // The requests carry no code: the sender computes it for the email (issue 22).
    expect(fakes.rec(userId).notifications.map((n) => n.requested)).toEqual([
      { expiresInHours: '24' },
      { expiresInHours: '24' },
    ]);

    await env.sleep(48 * HOUR - 120_000);
    expect((await state(handle)).step).toBe('awaiting_confirmation');
    await env.sleep(120_000);
    expect(await handle.result()).toEqual({ outcome: 'abandoned' });
    const final = await state(handle);
    expect(Math.abs(Date.parse(final.timestamps.closedAt!) - (registeredAt + 72 * HOUR))).toBeLessThan(2_000);
    // The user stays not_verified: the workflow never touched the status.
    expect(fakes.rec(userId).statuses).toEqual([]);
    await record(handle, 'onboarding-confirm-reminder-abandoned');
  });

  it('a newer registration of the unconfirmed address replaces it: old code refused, a new one sent, the clock restarts', async () => {
    const { userId, handle } = await startOnboarding(env, queue);
    await register(handle);
    const firstCode = await eventually(async () => lastCode(userId), Boolean);
    await env.sleep(20 * HOUR);
    expect(await register(handle, 'fp-owner')).toEqual({ userId, tenantId: null, status: 'not_verified' });
    // Its own retry is the same answer; the replaced request is now the stranger.
    expect(await register(handle, 'fp-owner')).toEqual({ userId, tenantId: null, status: 'not_verified' });
    const codes = fakes.rec(userId).notifications.filter((n) => n.event === 'verification_code');
    expect(codes).toHaveLength(2);
    expect((await failureType(confirm(handle, firstCode!))).type).toBe('INVALID_CODE');
    const replacedAt = Date.parse((await state(handle)).timestamps.registeredAt);
    expect((await state(handle)).nextReminderAt).toBe(new Date(replacedAt + 24 * HOUR).toISOString());
    // 24 h after the first registration nothing happens; the reminder comes 24 h after the replacement.
    await env.sleep(10 * HOUR);
    expect(fakes.rec(userId).notifications.map((n) => n.event)).toEqual(['verification_code', 'verification_code']);
    await env.sleep(15 * HOUR);
    await eventually(async () => fakes.rec(userId).notifications.find((n) => n.event === 'confirm_reminder'), Boolean);
    await confirm(handle, lastCode(userId)!);
    expect((await state(handle)).step).toBe('awaiting_kyc_session');
    expect((await failureType(register(handle, 'fp-1'))).type).toBe('EMAIL_TAKEN');
    await record(handle, 'onboarding-registration-replaced');
  });

  it('rejects an expired code, rate-limits resends and accepts the new code', async () => {
    const { userId, handle } = await startOnboarding(env, queue, { policy: { ...POLICY, codeTtlMs: HOUR } });
    await register(handle);
    await eventually(async () => lastCode(userId), Boolean);
    const first = lastCode(userId)!;
    expect((await failureType(handle.executeUpdate(resendCodeUpdate))).type).toBe('RESEND_LIMIT'); // cooldown
    await env.sleep(2 * HOUR);
    expect((await failureType(confirm(handle, first))).type).toBe('CODE_EXPIRED');
    const resent = await handle.executeUpdate(resendCodeUpdate);
    expect(resent.resendsLeft).toBe(2);
    const second = lastCode(userId)!;
    expect(second).not.toBe(first);
    expect((await failureType(confirm(handle, first))).type).toBe('INVALID_CODE');
    await confirm(handle, second);
    await stepIs(handle, 'awaiting_kyc_session');
    await record(handle, 'onboarding-code-expired-resent');
  });

  it('locks the code after too many wrong attempts and stops resends at the limit', async () => {
    const { userId, handle } = await startOnboarding(env, queue, { policy: { ...POLICY, resendCooldownMs: 1 } });
    await register(handle);
    await eventually(async () => lastCode(userId), Boolean);
    for (let i = 4; i >= 1; i--)
      expect(await failureType(confirm(handle, 'nope'))).toEqual({
        type: 'INVALID_CODE',
        details: [{ remainingAttempts: i }],
      });
    expect((await failureType(confirm(handle, 'nope'))).type).toBe('TOO_MANY_ATTEMPTS');
    // Locked: even the right code is refused until a new one is sent.
    expect((await failureType(confirm(handle, lastCode(userId)!))).type).toBe('TOO_MANY_ATTEMPTS');
    for (let i = 0; i < 3; i++) await handle.executeUpdate(resendCodeUpdate);
    expect((await failureType(handle.executeUpdate(resendCodeUpdate))).type).toBe('RESEND_LIMIT');
    await confirm(handle, lastCode(userId)!);
    expect((await state(handle)).email.confirmedAt).not.toBeNull();
    await record(handle, 'onboarding-code-locked-resend-limit');
  });

  it('rejects with the reason when Veriff declines', async () => {
    const { userId, handle, session } = await toKycSubmission();
    await veriff(handle, session.sessionId, 'submitted');
    await veriff(handle, session.sessionId, 'declined', 'Physical document not used');
    expect(await handle.result()).toEqual({ outcome: 'rejected' });
    expect(await state(handle)).toMatchObject({
      step: 'rejected',
      rejectionReason: 'Physical document not used',
      veriff: { status: 'declined' },
    });
    expect(fakes.rec(userId).statuses.map((s) => s.status)).toEqual(['pending_verification', 'rejected']);
    expect(fakes.rec(userId).notifications.map((n) => n.event)).toContain('kyc_declined');
    // The decision's KycStatus rides on the rejection step's upsert.
    expect((await handle.describe()).typedSearchAttributes.get(SA.KycStatus)).toBe('veriff:declined');
    await record(handle, 'onboarding-veriff-declined');
  });

  it('goes back to waiting on resubmission and declines past the resubmission limit', async () => {
    const { userId, handle, session } = await toKycSubmission({ policy: { ...POLICY, veriffMaxResubmissions: 2 } });
    await veriff(handle, session.sessionId, 'submitted');
    await veriff(handle, session.sessionId, 'resubmission_requested', 'Document not readable');
    const back = await eventually(
      () => state(handle),
      (s) => s.veriff.resubmissions === 1,
    );
    expect(back.step).toBe('awaiting_kyc_submission');
    // The same session is handed out again for the new attempt.
    expect(await handle.executeUpdate(createKycSessionUpdate)).toEqual(session);
    await veriff(handle, session.sessionId, 'submitted');
    await veriff(handle, session.sessionId, 'resubmission_requested');
    await veriff(handle, session.sessionId, 'resubmission_requested');
    expect(await handle.result()).toEqual({ outcome: 'rejected' });
    expect((await state(handle)).rejectionReason).toBe('Resubmission limit reached');
    expect(fakes.rec(userId).notifications.filter((n) => n.event === 'kyc_resubmission')).toHaveLength(2);
    await record(handle, 'onboarding-veriff-resubmission-limit');
  });

  it('reminds on an expired or abandoned session, starts a new one on request, and waits on review', async () => {
    const { userId, handle, session } = await toKycSubmission();
    await veriff(handle, session.sessionId, 'expired');
    await stepIs(handle, 'awaiting_kyc_session');
    await eventually(
      async () => fakes.rec(userId).notifications.map((n) => n.event),
      (e) => e.includes('kyc_session_expired'),
    );
    const second = await handle.executeUpdate(createKycSessionUpdate);
    expect(second.sessionId).not.toBe(session.sessionId);
    // Late news about the old session is ignored.
    await veriff(handle, session.sessionId, 'approved');
    await veriff(handle, second.sessionId, 'abandoned');
    await stepIs(handle, 'awaiting_kyc_session');
    await eventually(
      async () => fakes.rec(userId).notifications.filter((n) => n.event === 'kyc_session_expired').length,
      (n) => n === 2,
    );
    const third = await handle.executeUpdate(createKycSessionUpdate);
    await veriff(handle, third.sessionId, 'review');
    const waiting = await stepIs(handle, 'awaiting_kyc_decision');
    expect(waiting.veriff.status).toBe('review');
    await veriff(handle, third.sessionId, 'approved');
    await stepIs(handle, 'awaiting_bridge_link');
    await record(handle, 'onboarding-veriff-expired-abandoned-review');
  });

  it.each(['rejected', 'offboarded'])('rejects when Bridge KYC is %s', async (status) => {
    const { userId, handle, session } = await toKycSubmission();
    await veriff(handle, session.sessionId, 'approved');
    await stepIs(handle, 'awaiting_bridge_link');
    await handle.executeUpdate(createBridgeLinkUpdate, { args: [{ idempotencyKey: 'k1' }] });
    await bridge(handle, 1000, 'awaiting_questionnaire', 'approved');
    await eventually(
      () => state(handle),
      (s) => s.bridge.kycStatus === 'awaiting_questionnaire',
    );
    await bridge(handle, 2000, status, 'approved');
    expect(await handle.result()).toEqual({ outcome: 'rejected' });
    expect((await state(handle)).rejectionReason).toBe(`Bridge KYC ${status}`);
    // Written as local activities, in order: the link, each event's state, then the rejection.
    expect(
      fakes
        .rec(userId)
        .kyc.filter((k) => k.provider === 'bridge')
        .map((k) => k.state.kycStatus),
    ).toEqual(['not_started', 'awaiting_questionnaire', status]);
    expect(fakes.rec(userId).statuses.map((s) => s.status)).toEqual(['rejected']);
    expect((await handle.describe()).typedSearchAttributes.get(SA.KycStatus)).toBe(`bridge:${status}`);
    expect((await historyShape(handle)).activityTasks).toEqual(['createVeriffSession', 'createBridgeKycLink']);
    if (status === 'rejected') await record(handle, 'onboarding-bridge-rejected');
  });

  it('ends with registration_failed when the email is taken, the account rejected or the organization unknown', async () => {
    for (const reason of ['EMAIL_TAKEN', 'ORG_NOT_FOUND', 'ACCOUNT_REJECTED'] as const) {
      const userId = `dead0000-0000-4000-8000-0000000000${String(reason.length).padStart(2, '0')}`;
      fakes.createResult.set(userId, { ok: false, reason });
      const { handle } = await startOnboarding(env, queue, { userId });
      expect((await failureType(register(handle))).type).toBe(reason);
      expect(await handle.result()).toEqual({ outcome: 'registration_failed' });
    }
  });

  it('ends when the admin status endpoint closes the account', async () => {
    const { handle } = await toKycSubmission();
    // What PUT /users/{id}/status asks of the run that owns the user.
    const change = { to: 'inactive' as const, actorId: 'admin-1', reason: 'fraud', requestId: null };
    expect(await handle.executeUpdate(changeUserStatusUpdate, { args: [change] })).toMatchObject({
      to: 'inactive',
      changed: true,
    });
    expect(await handle.result()).toEqual({ outcome: 'closed_by_admin' });
    expect((await state(handle)).step).toBe('closed_by_admin');
  });
});
