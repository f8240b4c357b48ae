import { condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';

import type { CaseActivities } from '../activities/cases/create-case-activities';
import {
  type CaseSweepInput,
  type CaseSweepState,
  caseSweepStateQuery,
  sweepCasesNowSignal,
} from '../domain/contracts/cases.contract';
import { NON_RETRYABLE_FAILURE_TYPES } from '../domain/failures/catalog';

// A pass reads every source once: seconds at 100k users, minutes in the worst case.
const { sweepCases } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '5 seconds',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
  },
});

/** Passes per run before continue-as-new keeps the history short. */
const PASSES_PER_RUN = 200;

/**
 * Keeps the cases read model current (docs/operations.md): one pass over every source, then a
 * durable timer of `intervalMs` (or the "sweep now" signal). One per deployment, fixed id; a pass is
 * idempotent, so a retried activity or an overlapping action's refresh cannot double a case.
 */
export async function caseSweep(input: CaseSweepInput): Promise<void> {
  const state: CaseSweepState = { passes: input.passes ?? 0, lastPass: null, lastPassAt: null };
  let now = false;
  setHandler(sweepCasesNowSignal, () => {
    now = true;
  });
  setHandler(caseSweepStateQuery, () => ({ ...state }));
  for (let i = 0; i < PASSES_PER_RUN; i++) {
    now = false;
    state.lastPass = await sweepCases();
    state.passes += 1;
    state.lastPassAt = new Date().toISOString();
    await condition(() => now, input.intervalMs);
  }
  await continueAsNew<typeof caseSweep>({ intervalMs: input.intervalMs, passes: state.passes });
}
