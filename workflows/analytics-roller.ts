import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';

import type { AnalyticsActivities } from '../activities/analytics/create-analytics-activities';
import {
  type AnalyticsRollerInput,
  analyticsRollerStateQuery,
  rebuildAnalyticsSignal,
} from '../domain/contracts/analytics-roller.contract';
import { NON_RETRYABLE_FAILURE_TYPES as NON_RETRYABLE_DOMAIN_ERRORS } from '../domain/failures/catalog';

const { foldAnalytics } = proxyActivities<AnalyticsActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: NON_RETRYABLE_DOMAIN_ERRORS,
  },
});
// A rebuild reads every user, request and transaction: minutes at a million transactions.
const { rebuildAnalytics } = proxyActivities<AnalyticsActivities>({
  startToCloseTimeout: '2 hours',
  retry: {
    initialInterval: '10 seconds',
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: NON_RETRYABLE_DOMAIN_ERRORS,
  },
});

/** Rounds per run before continue-as-new keeps the history short. */
const ROUNDS_PER_RUN = 500;

/**
 * The single writer of the analytics read models (one per deployment, fixed workflow id): folds
 * the outbox, sleeping `intervalMs` whenever it is empty, and rebuilds on the signal. Being the
 * only writer is what makes read-modify-write of the counter documents exact on FerretDB.
 */
export async function analyticsRoller(input: AnalyticsRollerInput): Promise<void> {
  const state = {
    rebuilds: input.rebuilds ?? 0,
    folded: input.folded ?? 0,
    rebuildPending: input.rebuildPending ?? false,
  };
  setHandler(rebuildAnalyticsSignal, () => {
    state.rebuildPending = true;
  });
  setHandler(analyticsRollerStateQuery, () => ({ ...state }));
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    if (state.rebuildPending) {
      state.rebuildPending = false;
      await rebuildAnalytics();
      state.rebuilds += 1;
      continue;
    }
    const folded = await foldAnalytics();
    state.folded += folded;
    if (folded === 0) await condition(() => state.rebuildPending, input.intervalMs);
  }
  await continueAsNew<typeof analyticsRoller>({ intervalMs: input.intervalMs, ...state });
}
