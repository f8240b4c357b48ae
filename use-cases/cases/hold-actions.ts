import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';

import type { CaseDoc } from '../../adapters/models/case';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import { transactionHoldWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import { decideHoldUpdate } from '../../domain/contracts/transaction-hold.contract';
import { CaseCommandError } from './case-errors';

/**
 * approve / reject on a `transaction_hold_expiring` case: the hold's decideHold update releases or
 * declines the transaction now (the run settles it, as it would at the tier pass or the deadline).
 * A hold that settled meanwhile is a case that moved on.
 */
export async function decideHold(
  deps: { temporal: Client },
  c: CaseDoc,
  cmd: { action: 'approve' | 'reject'; actor: string; reason: string | null },
): Promise<{ transactionStatus: string }> {
  try {
    const r = await executeUpdateSurvivingTaskFailures(
      deps.temporal.workflow.getHandle(transactionHoldWorkflowId(c.subjectId)),
      decideHoldUpdate,
      { decision: cmd.action === 'approve' ? 'release' : 'decline', actor: cmd.actor, reason: cmd.reason },
    );
    return { transactionStatus: r.outcome };
  } catch (err) {
    const f =
      err instanceof WorkflowUpdateFailedError ? (err.cause as { type?: string; message?: string } | undefined) : null;
    if (f?.type === 'HOLD_SETTLED')
      throw new CaseCommandError(409, 'CASE_MOVED_ON', f.message ?? 'The hold is already settled');
    throw err;
  }
}
