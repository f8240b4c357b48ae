import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';

import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import { failureOf } from '../../adapters/temporal/failure-of';
import type { CaseAction } from '../../domain/contracts/cases.contract';
import {
  cancelPartnerKycUpdate,
  decidePartnerKycUpdate,
  movePartnerKycToManualReviewUpdate,
  PARTNER_KYC_WORKFLOW,
  type PartnerKycInput,
  partnerKycWorkflowId,
  retryPartnerKycUpdate,
} from '../../domain/contracts/partner-kyc.contract';
import { taskQueues } from '../../domain/task-queues';
import { CaseCommandError } from './case-errors';

export interface PartnerKycActionDeps {
  models: Pick<Models, 'User'>;
  temporal: Client;
  config: Pick<Config, 'PARTNER_KYC_IDLE_MINUTES' | 'TASK_QUEUE_PREFIX'>;
}

interface Command {
  action: CaseAction;
  actor: string;
  reason: string | null;
}

/** The user's latest check as the case names it: its document, and the submission that was checked. */
async function latestCheck(deps: PartnerKycActionDeps, c: CaseDoc) {
  const u = await deps.models.User.findById(c.subjectId, { tenantId: 1, 'kyc.partner': 1 }).lean();
  const p = ((u?.kyc as Record<string, unknown> | undefined)?.partner ?? {}) as {
    documentId?: string;
    documents?: Record<string, { submissionId?: string } | undefined>;
  };
  if (!u || !p.documentId) throw new CaseCommandError(409, 'CASE_MOVED_ON', 'The user has no partner KYC check');
  return {
    userId: u._id as string,
    tenantId: (u.tenantId as string | null) ?? '',
    documentId: p.documentId,
    submissionId: p.documents?.[p.documentId]?.submissionId ?? null,
  };
}

/** The run's refusal as the case API answers it: a check that moved on is 409 CASE_MOVED_ON. */
function refused(err: unknown): never {
  if (err instanceof WorkflowNotFoundError)
    throw new CaseCommandError(409, 'CASE_MOVED_ON', 'The check has no running workflow any more');
  if (err instanceof WorkflowUpdateFailedError) {
    const f = failureOf(err);
    if (f?.type === 'CHECK_IN_PROGRESS' || f?.type === 'NOT_PENDING' || f?.type === 'NOT_IN_REVIEW')
      throw new CaseCommandError(409, 'CASE_MOVED_ON', f.message);
    if (f?.type === 'VALIDATION_ERROR') throw new CaseCommandError(400, 'VALIDATION_ERROR', f.message);
  }
  throw err;
}

/**
 * The actions of the partner-KYC case kinds (docs/operations.md), each an update on the check's run
 * (workflows/partner-kyc.ts), which audits the operator's word and writes what the partner reads:
 *
 * - `partner_kyc_rejected`: approve (a manual override; four eyes in act-on-case), reject (the
 *   rejection confirmed), retry (the provider step again). The run may have completed after its idle
 *   time, so these are update-with-start: a new run of the same id takes the command.
 * - `partner_kyc_pending`: retry (the running provider step starts over now), move_to_manual_review,
 *   cancel. These need the running check: no run is a case that moved on.
 * - `partner_kyc_review`: approve / reject (the person's decision), cancel.
 */
export async function runPartnerKycAction(
  deps: PartnerKycActionDeps,
  c: CaseDoc,
  cmd: Command,
): Promise<Record<string, string | number | boolean | null>> {
  const check = await latestCheck(deps, c);
  const workflowId = partnerKycWorkflowId(check.userId, check.documentId);
  const operator = { actor: cmd.actor, reason: cmd.reason };
  try {
    if (c.kind === 'partner_kyc_rejected') {
      if (!check.submissionId)
        throw new CaseCommandError(409, 'CASE_MOVED_ON', 'The rejected check is no longer the latest');
      const input: PartnerKycInput = {
        userId: check.userId,
        tenantId: check.tenantId,
        documentId: check.documentId,
        idleMinutes: deps.config.PARTNER_KYC_IDLE_MINUTES,
      };
      const startWorkflowOperation = new WithStartWorkflowOperation(PARTNER_KYC_WORKFLOW, {
        workflowId,
        taskQueue: taskQueues(deps.config.TASK_QUEUE_PREFIX).onboarding,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const submissionId = check.submissionId;
      if (cmd.action === 'retry') {
        const r = await deps.temporal.workflow.executeUpdateWithStart(retryPartnerKycUpdate, {
          args: [{ ...operator, expect: 'rejected', submissionId }],
          startWorkflowOperation,
        });
        return { kycStatus: r.kycStatus, documentId: check.documentId };
      }
      const r = await deps.temporal.workflow.executeUpdateWithStart(decidePartnerKycUpdate, {
        args: [{ ...operator, decision: cmd.action === 'approve' ? 'approve' : 'reject', submissionId }],
        startWorkflowOperation,
      });
      return { kycStatus: r.kycStatus, documentId: check.documentId };
    }

    const handle = deps.temporal.workflow.getHandle(workflowId);
    let kycStatus: string;
    if (cmd.action === 'retry')
      kycStatus = (
        await executeUpdateSurvivingTaskFailures(handle, retryPartnerKycUpdate, {
          ...operator,
          expect: 'pending',
          submissionId: check.submissionId ?? '',
        })
      ).kycStatus;
    else if (cmd.action === 'move_to_manual_review')
      kycStatus = (await executeUpdateSurvivingTaskFailures(handle, movePartnerKycToManualReviewUpdate, operator))
        .kycStatus;
    else if (cmd.action === 'cancel')
      kycStatus = (await executeUpdateSurvivingTaskFailures(handle, cancelPartnerKycUpdate, operator)).kycStatus;
    else
      kycStatus = (
        await executeUpdateSurvivingTaskFailures(handle, decidePartnerKycUpdate, {
          ...operator,
          decision: cmd.action === 'approve' ? 'approve' : 'reject',
          submissionId: check.submissionId ?? 'manual-review',
        })
      ).kycStatus;
    return { kycStatus, documentId: check.documentId };
  } catch (err) {
    return refused(err);
  }
}
