import fs from 'node:fs';
import path from 'node:path';

import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import {
  bridgeEventSignal,
  confirmEmailUpdate,
  createBridgeLinkUpdate,
  createKycSessionUpdate,
  type OnboardingStep,
  veriffEventSignal,
} from '../../domain/contracts/onboarding.contract';
import { SA } from '../../domain/search-attributes';
import { createTimeSkippingEnv } from '../helpers/temporal';
import {
  eventually,
  type Fakes,
  HOUR,
  POLICY,
  register,
  startOnboarding,
  startOnboardingWorkers,
  state,
} from './onboarding-fakes';

// Every KYC wait has a deadline: a reminder REMIND after the step began, the end (abandoned) at
// ABANDON. Time-skipping, so a month passes in milliseconds. RECORD_HISTORIES=1 saves one run for
// the replay test.
describe('onboarding deadlines', () => {
  let env: TestWorkflowEnvironment;
  let fakes: Fakes;
  let workers: Awaited<ReturnType<typeof startOnboardingWorkers>>;
  let queue: string;
  const REMIND = 72 * HOUR;
  const ABANDON = 720 * HOUR;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    workers = await startOnboardingWorkers(env, 'obdl');
    ({ fakes, queue } = workers);
  });
  afterAll(async () => {
    await workers?.close();
    await env?.teardown();
  });

  const codeOf = (userId: string, nth: number) =>
    eventually(async () => fakes.rec(userId).notifications.filter((n) => n.data.code)[nth]?.data.code, Boolean);
  const confirm = (h: WorkflowHandle, code: string) =>
    h.executeUpdate(confirmEmailUpdate, { args: [{ codeDigest: `digest:${code}` }] });
  const stepIs = (h: WorkflowHandle, step: string) =>
    eventually(
      () => state(h),
      (s) => s.step === step,
    );
  const veriff = (h: WorkflowHandle, sessionId: string, status: 'submitted' | 'approved', key: string) =>
    h.signal(veriffEventSignal, {
      eventKey: key,
      sessionId,
      kind: status === 'submitted' ? 'event' : 'decision',
      status,
      code: null,
      reason: null,
    });

  /** Brings a fresh onboarding to `step` and returns it. */
  async function reach(step: OnboardingStep) {
    const { userId, handle } = await startOnboarding(env, queue);
    await register(handle);
    await confirm(handle, (await codeOf(userId, 0))!);
    if (step !== 'awaiting_kyc_session') {
      const session = await handle.executeUpdate(createKycSessionUpdate);
      if (step !== 'awaiting_kyc_submission') {
        await veriff(handle, session.sessionId, 'submitted', `${userId}-1`);
        if (step !== 'awaiting_kyc_decision') {
          await stepIs(handle, 'awaiting_kyc_decision');
          await veriff(handle, session.sessionId, 'approved', `${userId}-2`);
          if (step === 'awaiting_bridge_approval') {
            await stepIs(handle, 'awaiting_bridge_link');
            await handle.executeUpdate(createBridgeLinkUpdate, { args: [{ idempotencyKey: 'k' }] });
          }
        }
      }
    }
    await stepIs(handle, step);
    return { userId, handle };
  }

  const reminders = (userId: string) =>
    fakes.rec(userId).notifications.filter((n) => n.notificationId.includes('.reminder.'));

  it.each<OnboardingStep>([
    'awaiting_kyc_session',
    'awaiting_kyc_submission',
    'awaiting_kyc_decision',
    'awaiting_bridge_link',
    'awaiting_bridge_approval',
  ])('in %s: one reminder when the reminder time is up, abandoned at the end', async (step) => {
    const { userId, handle } = await reach(step);
    const enteredAt = (await handle.describe()).typedSearchAttributes.get(SA.StepEnteredAt)!.getTime();
    expect((await state(handle)).nextReminderAt).toBe(new Date(enteredAt + REMIND).toISOString());

    await env.sleep(REMIND - 60_000);
    expect(reminders(userId)).toHaveLength(0);
    await env.sleep(120_000);
    const [reminder] = await eventually(
      async () => reminders(userId),
      (r) => r.length === 1,
    );
    expect(reminder).toMatchObject({ event: 'kyc_status_update', data: { status: expect.any(String) } });
    expect(reminder.notificationId).toContain(`.reminder.${step}.`);
    expect(Math.abs(reminder.at - (enteredAt + REMIND))).toBeLessThan(2_000);
    // The fake records the reminder inside its activity; the run clears nextReminderAt in the
    // workflow task after that activity completes, so the state is awaited, not read at once.
    const reminded = await eventually(
      () => state(handle),
      (s) => s.nextReminderAt === null,
    );
    expect(reminded.nextReminderAt).toBeNull();

    await env.sleep(ABANDON - REMIND - 120_000);
    expect((await state(handle)).step).toBe(step);
    await env.sleep(120_000);
    expect(await handle.result()).toEqual({ outcome: 'abandoned' });
    const final = await state(handle);
    expect(final.step).toBe('abandoned');
    expect(Math.abs(Date.parse(final.timestamps.closedAt!) - (enteredAt + ABANDON))).toBeLessThan(2_000);
    expect(reminders(userId)).toHaveLength(1);
    // One saved run for a Bridge wait and one for a Veriff wait (RECORD_HISTORIES_SUFFIX names a new set).
    const saved = { awaiting_bridge_approval: 'bridge-approval', awaiting_kyc_decision: 'kyc-decision' }[
      step as string
    ];
    if (saved && process.env.RECORD_HISTORIES) {
      const file = path.join(
        __dirname,
        '../replay/histories',
        `onboarding-abandoned-in-${saved}-deadlines${process.env.RECORD_HISTORIES_SUFFIX ?? ''}.json`,
      );
      fs.writeFileSync(file, historyToJSON(await handle.fetchHistory()));
    }
  });

  it('restarts the clock when the step changes (news arrives before the deadline)', async () => {
    const { userId, handle } = await reach('awaiting_bridge_approval');
    await env.sleep(REMIND + 60_000);
    await eventually(
      async () => reminders(userId),
      (r) => r.length === 1,
    );
    await handle.signal(bridgeEventSignal, {
      eventId: 'b1',
      createdAtMs: 1,
      kycStatus: 'approved',
      tosStatus: 'approved',
      rejectionReasons: [],
    });
    expect(await handle.result()).toEqual({ outcome: 'active' });
  });

  it('read-your-writes: once confirm answers, the KYC session can start even while the main flow is busy', async () => {
    const { userId, handle } = await startOnboarding(env, queue, { policy: { ...POLICY, codeTtlMs: 48 * HOUR } });
    await register(handle);
    const first = (await codeOf(userId, 0))!;
    // The 24 h reminder's new code hangs (a slow activity, a restarting worker)…
    const release = fakes.hold(userId, 'issueConfirmationDigest');
    try {
      // Just past 24 h: the held activity stops time skipping, so any further sleep runs in real time.
      await env.sleep(24 * HOUR + 1_000);
      await eventually(
        () => state(handle),
        (s) => s.nextReminderAt === null,
      );
      // …and the user confirms with the first code meanwhile: the very next call must see the new step.
      await confirm(handle, first);
      const session = await handle.executeUpdate(createKycSessionUpdate);
      expect(session.sessionId).toBe(`sess-${userId}-1`);
    } finally {
      release();
    }
    await stepIs(handle, 'awaiting_kyc_submission');
  });
});
