import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The one timer of a step's next wake (reminder or end). It outlives the wait that armed it: each
 * event in a step ends one wait and starts the next, and a timer per wait cost a TimerStarted and a
 * TimerCanceled per event (issue 23). Re-armed only when the wake time moves (a step change, the
 * reminder sent, an operator's extension); it only wakes the wait, which decides what the wake means.
 */
export interface StepTimer {
  readonly at: number;
  fired: boolean;
  cancel(): void;
}

export function armStepTimer(at: number): StepTimer {
  const scope = new CancellationScope();
  const timer: StepTimer = { at, fired: false, cancel: () => scope.cancel() };
  scope
    .run(() => sleep(Math.max(at - Date.now(), 1)))
    .then(
      () => {
        timer.fired = true;
      },
      (err: unknown) => {
        if (!isCancellation(err)) throw err;
      },
    );
  return timer;
}

/** The run's timer for `at`: the one already armed for it, else a new one (the old one cancelled). */
export function stepTimerFor(current: StepTimer | null, at: number): StepTimer {
  if (current && current.at === at) return current;
  if (current && !current.fired) current.cancel();
  return armStepTimer(at);
}
