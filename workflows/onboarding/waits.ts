import { condition } from '@temporalio/workflow';

import { extended, kycStepDeadlines, nextWake, stepReminder } from '../../domain/rules/onboarding/step-deadlines';
import { notify } from './activities';
import { iso, type Run } from './state';

/** How a wait ended: what it waited for came, its time ran out, or an admin closed the onboarding. */
export type Waited = 'done' | 'timeout' | 'closed';

/** Waits for `done` (at most `timeoutMs`); an admin's close wakes it early and wins over `done`. */
export async function waitFor(run: Run, done: () => boolean, timeoutMs?: number): Promise<Waited> {
  const pred = () => done() || run.adminClose !== null;
  const ok = timeoutMs === undefined ? (await condition(pred), true) : await condition(pred, Math.max(timeoutMs, 1));
  if (run.adminClose) return 'closed';
  return ok ? 'done' : 'timeout';
}

/**
 * Waits in a KYC step for `done`. Each entry into a step gets a reminder and then an end
 * (policy.kycStep*, domain/rules/onboarding/step-deadlines.ts); a step change restarts the clock.
 * 'timeout' means the step's time ran out (the run is abandoned).
 */
export async function waitInStep(run: Run, done: () => boolean): Promise<Waited> {
  const limits = kycStepDeadlines(run.input.policy);
  for (;;) {
    const entry = run.stepEntry;
    const extensions = run.extensions;
    const wake = nextWake(run.stepEnteredAtMs, extended(limits, run.extensionMs), run.remindedEntry === entry);
    run.s.nextReminderAt = wake.then === 'remind' ? iso(wake.at) : null;
    // An extension wakes the wait (done() stays false) so it re-arms with the later end.
    const waited = await waitFor(
      run,
      () => done() || run.stepEntry !== entry || run.extensions !== extensions,
      wake.at - Date.now(),
    );
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
