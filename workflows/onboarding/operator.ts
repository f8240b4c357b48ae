import { condition, setHandler } from '@temporalio/workflow';

import {
  abandonOnboardingUpdate,
  type ExtendStepDeadlineRequest,
  extendStepDeadlineUpdate,
  MAX_STEP_EXTENSION_HOURS,
  type OnboardingStep,
  type OperatorStepRequest,
  sendStepReminderNowUpdate,
} from '../../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { OnboardingFailures } from '../../domain/failures/onboarding-failures';
import {
  confirmationDeadlines,
  extended,
  isExtendableStep,
  kycStepDeadlines,
  STEP_REMINDERS,
  stepReminder,
} from '../../domain/rules/onboarding/step-deadlines';
import { notify } from './activities';
import type { Confirmation } from './confirm';
import { closing, iso, type Run } from './state';

const HOUR_MS = 3_600_000;

/**
 * Operators' updates (the cases' actions, docs/operations.md): applied by this run in turn, so they
 * follow its rules. Handlers added to a running workflow change no existing history's commands:
 * without the update, every wait arms the same timers as before.
 */
export function handleOperatorUpdates(run: Run, c: Confirmation) {
  const { s } = run;
  /** The current wait's end, as the wait computes it (confirmation: from its clock; KYC: from the step's entry). */
  const endsAtMs = () =>
    s.step === 'awaiting_confirmation'
      ? c.clock.fromMs + extended(confirmationDeadlines(run.input.policy), run.extensionMs).endAfterMs
      : run.stepEnteredAtMs + extended(kycStepDeadlines(run.input.policy), run.extensionMs).endAfterMs;

  setHandler(
    extendStepDeadlineUpdate,
    (req: ExtendStepDeadlineRequest) => {
      run.extensionMs += req.hours * HOUR_MS;
      run.extensions += 1;
      return { step: s.step, endsAt: iso(endsAtMs()), extendedHours: run.extensionMs / HOUR_MS };
    },
    {
      validator: (req: ExtendStepDeadlineRequest) => {
        if (!Number.isInteger(req?.hours) || req.hours < 1 || req.hours > MAX_STEP_EXTENSION_HOURS)
          throw ActivityFailures.create(
            'VALIDATION_ERROR',
            `hours must be a whole number from 1 to ${MAX_STEP_EXTENSION_HOURS}`,
          );
        needsActor(req, true);
        stillWaitingIn(req.step, isExtendableStep);
      },
    },
  );

  /** The step the operator saw, still waiting (and nobody closing it): anything else has moved on. */
  function stillWaitingIn(step: OnboardingStep, allowed: (step: OnboardingStep) => boolean) {
    if (s.outcome !== null || closing(run) || s.step !== step || !allowed(s.step)) {
      throw OnboardingFailures.create('WRONG_STEP', `The onboarding is at ${s.step}, not waiting in ${step}`, {
        step: s.step,
      });
    }
  }
  const needsActor = (req: OperatorStepRequest, reasonRequired: boolean) => {
    if (!req?.actor || (reasonRequired && !req.reason))
      throw ActivityFailures.create(
        'VALIDATION_ERROR',
        reasonRequired ? 'actor and reason are required' : 'actor is required',
      );
  };

  // The KYC step's reminder now, under an id of its own (a repeat of the case action is one update,
  // the case's idempotency key); the planned reminder of this entry still goes out when it is due.
  setHandler(
    sendStepReminderNowUpdate,
    async () => {
      const step = s.step;
      const reminder = stepReminder(step, run.stepEntry);
      const key = `operator-reminder.${step}.${run.stepEntry}.${++run.operatorReminders}`;
      await notify(run, key, reminder.event, reminder.data);
      return { step, notificationId: run.key(key) };
    },
    {
      validator: (req: OperatorStepRequest) => {
        needsActor(req, false);
        stillWaitingIn(req.step, (step) => step in STEP_REMINDERS);
      },
    },
  );

  // The operator's abandon: every wait returns 'closed' and the run ends `abandoned` (state.ts,
  // closedOutcome), as the deadline would have ended it. Answers with the outcome once the run ends.
  setHandler(
    abandonOnboardingUpdate,
    async (req) => {
      run.abandonedBy = { actor: req.actor, reason: req.reason };
      await condition(() => s.outcome !== null);
      return { step: req.step, outcome: s.outcome! };
    },
    {
      validator: (req) => {
        needsActor(req, true);
        stillWaitingIn(req.step, isExtendableStep);
      },
    },
  );
}
