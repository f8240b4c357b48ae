import { condition, patched } from '@temporalio/workflow';

import { extended, kycStepDeadlines, nextWake, stepReminder } from '../../domain/rules/onboarding/step-deadlines';
import { notify } from './activities';
import { closing, iso, type Run } from './state';
import { stepTimerFor } from './step-timer';

/** How a wait ended: what it waited for came, its time ran out, or an admin closed the onboarding. */
export type Waited = 'done' | 'timeout' | 'closed';

/** Waits for `done` (at most `timeoutMs`); an admin's close or an operator's abandon wakes it early and wins over `done`. */
export async function waitFor(run: Run, done: () => boolean, timeoutMs?: number): Promise<Waited> {
  const pred = () => done() || closing(run);
  const ok = timeoutMs === undefined ? (await condition(pred), true) : await condition(pred, Math.max(timeoutMs, 1));
  if (closing(run)) return 'closed';
  return ok ? 'done' : 'timeout';
}

/**
 * Waits in a KYC step for `done`. Each entry into a step gets a reminder and then an end
 * (policy.kycStep*, domain/rules/onboarding/step-deadlines.ts); a step change restarts the clock.
 * 'timeout' means the step's time ran out (the run is abandoned). Runs since `one-step-timer` keep
 * one timer per wake across the waits of a step (./step-timer.ts); runs started before arm one per wait.
 */
export async function waitInStep(run: Run, done: () => boolean): Promise<Waited> {
  const limits = kycStepDeadlines(run.input.policy);
  for (;;) {
    const entry = run.stepEntry;
    const extensions = run.extensions;
    const wake = nextWake(run.stepEnteredAtMs, extended(limits, run.extensionMs), run.remindedEntry === entry);
    run.s.nextReminderAt = wake.then === 'remind' ? iso(wake.at) : null;
    // An extension wakes the wait (done() stays false) so it re-arms with the later end.
    const woken = () => done() || run.stepEntry !== entry || run.extensions !== extensions;
    const waited = patched('one-step-timer')
      ? await waitForWake(run, woken, wake.at)
      : await waitFor(run, woken, wake.at - Date.now());
    if (waited === 'closed') return waited;
    if (waited === 'done') {
      if (done()) return 'done';
      continue;
    }
    if (wake.then === 'end') return 'timeout';
    run.remindedEntry = entry;
    const reminder = stepReminder(run.s.step, entry);
    await notify(run, reminder.key, reminder.event, reminder.data);
  }
}

/**
 * As waitFor with a timeout, on the run's step timer for `at` instead of a timer of its own. A wait
 * that is over before it blocks arms nothing (a timer started and cancelled in one activation never
 * reaches the history, so runs before the patch paid nothing for it either).
 */
async function waitForWake(run: Run, woken: () => boolean, at: number): Promise<Waited> {
  const pred = () => woken() || closing(run);
  if (!pred()) {
    const timer = (run.stepTimer = stepTimerFor(run.stepTimer, at));
    await condition(() => pred() || timer.fired);
  }
  if (closing(run)) return 'closed';
  return pred() ? 'done' : 'timeout';
}
