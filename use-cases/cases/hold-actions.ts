import type { Client } from '@temporalio/client';

import type { CaseDoc } from '../../adapters/models/case';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import { transactionHoldWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import { decideHoldUpdate } from '../../domain/contracts/transaction-hold.contract';

/**
 * approve / reject on a `transaction_hold_expiring` case: the hold's decideHold update releases or
 * declines the transaction now (the run settles it, as it would at the tier pass or the deadline).
 * A hold that settled meanwhile is a case that moved on: the run refuses with HOLD_SETTLED, which
 * the API's failure table answers 409 CASE_MOVED_ON.
 */
export async function decideHold(
  deps: { temporal: Client },
  c: CaseDoc,
  cmd: { action: 'approve' | 'reject'; actor: string; reason: string | null },
): Promise<{ transactionStatus: string }> {
  const r = await executeUpdateSurvivingTaskFailures(
    deps.temporal.workflow.getHandle(transactionHoldWorkflowId(c.subjectId)),
    decideHoldUpdate,
    { decision: cmd.action === 'approve' ? 'release' : 'decline', actor: cmd.actor, reason: cmd.reason },
  );
  return { transactionStatus: r.outcome };
}
