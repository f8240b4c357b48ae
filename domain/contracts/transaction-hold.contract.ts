import { defineUpdate } from '@temporalio/workflow';

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

// Its failures live with the other catalogs (the API's failure table answers them); re-exported here
// for the workflow that throws them.
export { TransactionHoldFailures } from '../failures/transaction-hold-failures';
