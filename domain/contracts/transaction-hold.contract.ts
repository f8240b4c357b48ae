import { defineUpdate } from '@temporalio/workflow';

import { defineFailures, failure } from '../failures/define-failures';

// Operator commands on a step-up hold (workflows/transaction-hold.ts), added for the
// `transaction_hold_expiring` case (docs/operations.md). Pure definitions: safe in the workflow sandbox.

export interface DecideHoldCommand {
  /** release: the transaction goes through now; decline: it is declined now, before the deadline. */
  decision: 'release' | 'decline';
  actor: string;
  reason: string | null;
}

/** A person decides a hold before its deadline. Rejects HOLD_SETTLED (already released or declined). */
export const decideHoldUpdate = defineUpdate<{ outcome: 'released' | 'declined' }, [DecideHoldCommand]>('decideHold');

export const TransactionHoldFailures = defineFailures({
  /** The hold was already released (tier passed, or a decision) or declined: nothing left to decide. */
  HOLD_SETTLED: failure(),
  /** The command is not a release or a decline. */
  VALIDATION_ERROR: failure(),
});
