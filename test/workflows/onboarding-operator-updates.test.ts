import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

import {
  confirmEmailUpdate,
  createKycSessionUpdate,
  type ExtendStepDeadlineRequest,
  extendStepDeadlineUpdate,
  moveToManualReviewUpdate,
} from '../../domain/contracts/onboarding.contract';
import { SA } from '../../domain/search-attributes';
import { createTimeSkippingEnv } from '../helpers/temporal';
import {
  eventually,
  failureType,
  type Fakes,
  HOUR,
  register,
  startOnboarding,
  startOnboardingWorkers,
  state,
} from './onboarding-fakes';

// An operator's extension of a wait's end (the onboarding_overdue case's action, docs/onboarding.md):
// the waiting timer re-arms at the later end; wrong steps and out-of-bounds hours are refused.
// Time-skipping, with the default test policy: confirmation ends at 72 h, KYC waits at 720 h.
describe('onboarding: operator updates (extend a deadline, manual review)', () => {
  let env: TestWorkflowEnvironment;
  let fakes: Fakes;
  let workers: Awaited<ReturnType<typeof startOnboardingWorkers>>;
  let queue: string;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    workers = await startOnboardingWorkers(env, 'obext');
    ({ fakes, queue } = workers);
  });
  afterAll(async () => {
    await workers?.close();
    await env?.teardown();
  });

  const extend = (h: WorkflowHandle, req: Partial<ExtendStepDeadlineRequest>) =>
    h.executeUpdate(extendStepDeadlineUpdate, {
      args: [{ step: 'awaiting_kyc_session', hours: 48, actor: 'admin-1', reason: 'user asked for time', ...req }],
    });
  const codeOf = (userId: string) =>
    eventually(async () => fakes.rec(userId).notifications.find((n) => n.data.code)?.data.code, Boolean);

  it('a KYC wait ends later by the extension; the refused ones change nothing', async () => {
    const { userId, handle } = await startOnboarding(env, queue);
    await register(handle);
    await handle.executeUpdate(confirmEmailUpdate, { args: [{ codeDigest: `digest:${await codeOf(userId)}` }] });
    await eventually(
      () => state(handle),
      (s) => s.step === 'awaiting_kyc_session',
    );
    const enteredAt = (await handle.describe()).typedSearchAttributes.get(SA.StepEnteredAt)!.getTime();

    // Refused: another step (the operator saw an old state), too long, not whole hours.
    expect(await failureType(extend(handle, { step: 'awaiting_kyc_decision' }))).toMatchObject({
      type: 'WRONG_STEP',
      details: [{ step: 'awaiting_kyc_session' }],
    });
    expect((await failureType(extend(handle, { hours: 14 * 24 + 1 }))).type).toBe('VALIDATION_ERROR');
    expect((await failureType(extend(handle, { hours: 0.5 }))).type).toBe('VALIDATION_ERROR');

    await env.sleep(700 * HOUR);
    const r = await extend(handle, { hours: 48 });
    expect(r).toEqual({
      step: 'awaiting_kyc_session',
      endsAt: new Date(enteredAt + 768 * HOUR).toISOString(),
      extendedHours: 48,
    });
    // Past the original end (720 h): still waiting.
    await env.sleep(40 * HOUR);
    expect((await state(handle)).step).toBe('awaiting_kyc_session');
    // Past the extended end (768 h): abandoned then, not before.
    await env.sleep(30 * HOUR);
    expect(await handle.result()).toEqual({ outcome: 'abandoned' });
    const closedAt = Date.parse((await state(handle)).timestamps.closedAt!);
    expect(Math.abs(closedAt - (enteredAt + 768 * HOUR))).toBeLessThan(2_000);
  });

  it('the confirmation wait ends later too', async () => {
    const { handle } = await startOnboarding(env, queue);
    await register(handle);
    const r = await extend(handle, { step: 'awaiting_confirmation', hours: 24 });
    expect(r.extendedHours).toBe(24);
    await env.sleep(80 * HOUR); // past the 72 h end, before 96 h
    expect((await state(handle)).step).toBe('awaiting_confirmation');
    await env.sleep(20 * HOUR);
    expect(await handle.result()).toEqual({ outcome: 'abandoned' });
  });

  it('moveToManualReview: from the submission wait into the decision wait as a Veriff review; refused elsewhere', async () => {
    const { userId, handle } = await startOnboarding(env, queue);
    await register(handle);
    await handle.executeUpdate(confirmEmailUpdate, { args: [{ codeDigest: `digest:${await codeOf(userId)}` }] });
    const review = () =>
      handle.executeUpdate(moveToManualReviewUpdate, { args: [{ actor: 'admin-1', reason: 'documents look fine' }] });
    await eventually(
      () => state(handle),
      (s) => s.step === 'awaiting_kyc_session',
    );
    expect(await failureType(review())).toMatchObject({ type: 'WRONG_STEP' });
    await handle.executeUpdate(createKycSessionUpdate);
    expect(await review()).toEqual({ step: 'awaiting_kyc_decision', kycStatus: 'veriff:review' });
    const st = await state(handle);
    expect([st.step, st.veriff.status]).toEqual(['awaiting_kyc_decision', 'review']);
    expect((await handle.describe()).typedSearchAttributes.get(SA.KycStatus)).toBe('veriff:review');
    expect(await failureType(review())).toMatchObject({ type: 'WRONG_STEP' });
  });
});
