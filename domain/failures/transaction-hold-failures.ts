import { defineFailures, failure } from './define-failures';

/** What the transaction-hold workflow's decideHold update (a case's approve / reject) rejects with. */
export const TransactionHoldFailures = defineFailures({
  /** The hold was already released (tier passed, or a decision) or declined: nothing left to decide. */
  HOLD_SETTLED: failure(),
  /** The command is not a release or a decline. */
  VALIDATION_ERROR: failure(),
});
