import { allHandlersFinished, condition } from '@temporalio/workflow';

import type { OnboardingOutcome } from '../../domain/contracts/onboarding.contract';
import { notify } from './activities';
import { closedOutcome, iso, type Run, setStep } from './state';
import type { UserWriter } from './user-writer';
import type { Waited } from './waits';

/** How a run ends when a wait did not get what it waited for. */
export const endOfWait = (run: Run, waited: Exclude<Waited, 'done'>): OnboardingOutcome =>
  waited === 'timeout' ? 'abandoned' : closedOutcome(run);

/** Rejected (Veriff declined, Bridge rejected): the status, then the message; an admin's change first closes it. */
export async function reject(
  run: Run,
  writer: UserWriter,
  reason: string,
  key: string,
  cause?: 'bridge',
): Promise<OnboardingOutcome> {
  run.s.rejectionReason = reason;
  if (!(await writer.setStatus('rejected', key, { reason, ...(cause ? { cause } : {}) }))) return closedOutcome(run);
  await notify(run, key, 'kyc_declined', {}, ['email']);
  return 'rejected';
}

export async function activate(run: Run, writer: UserWriter): Promise<OnboardingOutcome> {
  const { s } = run;
  const bridge = run.heldBridgeState ?? undefined;
  run.heldBridgeState = null;
  const extra = { kycLevel: s.kycLevel, reason: 'onboarding completed', ...(bridge ? { bridge } : {}) };
  if (!(await writer.setStatus('active', 'activated', extra))) {
    // An admin's change came first: Bridge's state is still the user's (the account workflow starts from it).
    if (bridge) await writer.recordKycState('bridge', { ...bridge });
    return closedOutcome(run);
  }
  // An admin's change applied right after the activation: no "activated" message, the run closes.
  if (run.adminClose) return closedOutcome(run);
  s.timestamps.activatedAt = iso(Date.now());
  await notify(run, 'activated', 'account_activated', { kycLevel: s.kycLevel }, ['email', 'sms', 'push']);
  return 'active';
}

/**
 * The last step: the outcome is shown, then Bridge news that reached this run after its Bridge step
 * (e.g. `offboarded` right after activation) still changes the account; checked again after the
 * last handler, so nothing signalled before the run ends is dropped. Later news goes to the
 * account workflow.
 */
export async function finish(
  run: Run,
  writer: UserWriter,
  outcome: OnboardingOutcome,
): Promise<{ outcome: OnboardingOutcome }> {
  const { s } = run;
  s.outcome = outcome;
  s.nextReminderAt = null;
  s.timestamps.closedAt = iso(Date.now());
  setStep(run, outcome);
  for (;;) {
    while (run.bridgeQueue.length > 0) {
      const ev = run.bridgeQueue.shift()!;
      if (run.seenEvents.has(ev.eventId)) continue;
      run.seenEvents.add(ev.eventId);
      await writer.applyBridgeEventAfterEnd(ev);
    }
    await condition(allHandlersFinished);
    if (run.bridgeQueue.length === 0) return { outcome };
  }
}
