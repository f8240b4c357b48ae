// Deadlines of the onboarding's waits: a reminder some time after the wait began, then an end.
// Pure: given when the step was entered, the policy and whether this entry's reminder went out, it
// says when the workflow should wake next and what happens then. Each entry into a step restarts
// the clock (the workflow counts entries); the reminder goes out once per entry.
import type { NotificationEvent } from '../../contracts/notify.contract';
import type { OnboardingPolicy, OnboardingStep } from '../../contracts/onboarding.contract';

export interface WaitDeadlines {
  remindAfterMs: number;
  endAfterMs: number;
}

export interface NextWake {
  /** Workflow time (ms) to wake at, unless the awaited news comes first. */
  at: number;
  then: 'remind' | 'end';
}

/** The KYC waits' deadlines, counted from each entry into a step. */
export const kycStepDeadlines = (
  policy: Pick<OnboardingPolicy, 'kycStepReminderAfterMs' | 'kycStepAbandonAfterMs'>,
): WaitDeadlines => ({
  remindAfterMs: policy.kycStepReminderAfterMs,
  endAfterMs: policy.kycStepAbandonAfterMs,
});

/** The email confirmation's deadlines, counted from the registration. */
export const confirmationDeadlines = (
  policy: Pick<OnboardingPolicy, 'confirmReminderAfterMs' | 'confirmAbandonAfterMs'>,
): WaitDeadlines => ({
  remindAfterMs: policy.confirmReminderAfterMs,
  endAfterMs: policy.confirmAbandonAfterMs,
});

/** The deadlines of a wait an operator extended by `extensionMs`: the end moves, the reminder stays. */
export const extended = (deadlines: WaitDeadlines, extensionMs: number): WaitDeadlines => ({
  remindAfterMs: deadlines.remindAfterMs,
  endAfterMs: deadlines.endAfterMs + extensionMs,
});

/** The steps whose wait has a deadline an operator may extend (the confirmation and the KYC waits). */
export const isExtendableStep = (step: OnboardingStep) => step === 'awaiting_confirmation' || step in STEP_REMINDERS;

/** Next wake-up of a wait that began at `enteredAtMs`: the reminder until it was sent, then the end. */
export function nextWake(enteredAtMs: number, deadlines: WaitDeadlines, reminded: boolean): NextWake {
  return reminded
    ? { at: enteredAtMs + deadlines.endAfterMs, then: 'end' }
    : { at: enteredAtMs + deadlines.remindAfterMs, then: 'remind' };
}

/** What the reminder of a KYC wait tells the user (kyc_status_update's `status`). */
export const STEP_REMINDERS: Partial<Record<OnboardingStep, string>> = {
  awaiting_kyc_session: 'waiting for you to start identity verification',
  awaiting_kyc_submission: 'waiting for you to finish identity verification',
  awaiting_kyc_decision: 'under review; we will tell you the result',
  awaiting_bridge_link: 'waiting for you to start the banking partner check',
  awaiting_bridge_approval: 'waiting for the banking partner check and terms',
};

/** The reminder of the `entry`-th entry into `step`; its key makes the notification id, so it is sent once per entry. */
export function stepReminder(
  step: OnboardingStep,
  entry: number,
): { key: string; event: NotificationEvent; data: { status: string } } {
  return {
    key: `reminder.${step}.${entry}`,
    event: 'kyc_status_update',
    data: { status: STEP_REMINDERS[step] ?? 'waiting for you' },
  };
}
