import { setHandler } from '@temporalio/workflow';

import {
  type ExtendStepDeadlineRequest,
  extendStepDeadlineUpdate,
  MAX_STEP_EXTENSION_HOURS,
} from '../../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { OnboardingFailures } from '../../domain/failures/onboarding-failures';
import {
  confirmationDeadlines,
  extended,
  isExtendableStep,
  kycStepDeadlines,
} from '../../domain/rules/onboarding/step-deadlines';
import type { Confirmation } from './confirm';
import { iso, type Run } from './state';

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
        if (!req.actor || !req.reason)
          throw ActivityFailures.create('VALIDATION_ERROR', 'actor and reason are required');
        // The step the operator saw, still waiting: anything else has moved on.
        if (s.outcome !== null || run.adminClose !== null || s.step !== req.step || !isExtendableStep(s.step)) {
          throw OnboardingFailures.create('WRONG_STEP', `The onboarding is at ${s.step}, not waiting in ${req.step}`, {
            step: s.step,
          });
        }
      },
    },
  );
}
