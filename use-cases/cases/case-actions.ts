import type { Client } from '@temporalio/client';

import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import type { CaseAction } from '../../domain/contracts/cases.contract';
import {
  cancelVerificationSignal,
  extendDueAtUpdate,
  retryLookupUpdate,
  sendReminderNowUpdate,
  verificationRequestWorkflowId,
} from '../../domain/contracts/verification-request.contract';
import type { UserStatus } from '../../domain/vocabulary/users';
import { CaseCommandError } from './case-errors';
import { decideHold } from './hold-actions';
import { extendOnboardingDeadline, moveOnboardingToManualReview } from './onboarding-actions';
import { abandonOverdueOnboarding, resendForOverdueOnboarding } from './overdue-onboarding-actions';
import { runPartnerKycAction } from './partner-kyc-actions';

/**
 * The admin status change (services/api/users/change-user-status.ts): it asks the onboarding run
 * while it runs, else the account workflow, which apply and audit the change. Passed in, so this
 * floor does not reach up into the API.
 */
export type ChangeUserStatus = (change: {
  actorId: string;
  userId: string;
  to: UserStatus;
  reason: string | null;
  requestId: string | null;
}) => Promise<{ status: string }>;

export interface ActionDeps {
  models: Pick<Models, 'VerificationRequest' | 'User'>;
  temporal: Client;
  changeUserStatus: ChangeUserStatus;
  /** Re-drives a stored webhook event through the intake's dispatch (redrive-webhook.ts). */
  redriveWebhook: (eventId: string) => Promise<ActionOutcome>;
  /** Partner-KYC actions may start the check's run again (use-cases/cases/partner-kyc-actions.ts). */
  config: Pick<Config, 'PARTNER_KYC_IDLE_MINUTES' | 'TASK_QUEUE_PREFIX'>;
}

export interface ActionCommand {
  action: CaseAction;
  actor: string;
  reason: string | null;
  requestId: string | null;
  dueAt?: string;
  hours?: number;
}

/** What the owning workflow answered, for the caller and the audit event. */
export type ActionOutcome = Record<string, string | number | boolean | null>;

const CANCEL_WAIT_MS = 15_000;

/**
 * Carries out one action through the workflow that owns the case's subject: an update where the
 * workflow answers (status change, retry, extension), the cancel signal where the contract has one
 * (then the record is read until the run shows it). Never a direct write to the subject.
 */
export async function runAction(deps: ActionDeps, c: CaseDoc, cmd: ActionCommand): Promise<ActionOutcome> {
  if (c.kind.startsWith('partner_kyc_')) return runPartnerKycAction(deps, c, cmd);
  switch (cmd.action) {
    case 'approve':
    case 'reject': {
      if (c.kind === 'transaction_hold_expiring') return decideHold(deps, c, { ...cmd, action: cmd.action });
      const to: UserStatus = cmd.action === 'approve' ? 'active' : 'rejected';
      const user = await deps.changeUserStatus({
        actorId: cmd.actor,
        userId: c.ownerUserId!,
        to,
        reason: cmd.reason,
        requestId: cmd.requestId,
      });
      return { userStatus: user.status };
    }
    case 'retry': {
      const handle = deps.temporal.workflow.getHandle(verificationRequestWorkflowId(c.subjectId));
      const r = await executeUpdateSurvivingTaskFailures(handle, retryLookupUpdate, {
        actor: cmd.actor,
        reason: cmd.reason,
      });
      return { attempt: r.attempt, requestStatus: r.status };
    }
    case 'extend': {
      const handle = deps.temporal.workflow.getHandle(verificationRequestWorkflowId(c.subjectId));
      const r = await executeUpdateSurvivingTaskFailures(handle, extendDueAtUpdate, {
        actor: cmd.actor,
        reason: cmd.reason,
        dueAt: cmd.dueAt!,
      });
      return { dueAt: r.dueAt };
    }
    case 'cancel': {
      if (c.kind === 'onboarding_overdue') return abandonOverdueOnboarding(deps, c, cmd);
      await deps.temporal.workflow
        .getHandle(verificationRequestWorkflowId(c.subjectId))
        .signal(cancelVerificationSignal, { actor: cmd.actor, reason: cmd.reason ?? undefined });
      const deadline = Date.now() + CANCEL_WAIT_MS;
      for (;;) {
        const r = await deps.models.VerificationRequest.findById(c.subjectId, { status: 1 }).lean();
        if (r?.status === 'cancelled') return { requestStatus: 'cancelled' };
        if (Date.now() > deadline) return { requestStatus: r?.status ?? null, pending: true };
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    case 'resend': {
      if (c.kind === 'onboarding_overdue') return resendForOverdueOnboarding(deps, c, cmd);
      // A verification request: the next reminder now, sent by the request's run (sendReminderNow).
      const handle = deps.temporal.workflow.getHandle(verificationRequestWorkflowId(c.subjectId));
      const r = await executeUpdateSurvivingTaskFailures(handle, sendReminderNowUpdate, {
        actor: cmd.actor,
        reason: cmd.reason,
      });
      return { notificationId: r.notificationId, remindersSent: r.remindersSent };
    }
    case 'extend_deadline':
      return extendOnboardingDeadline(deps, c, cmd);
    case 'move_to_manual_review':
      return moveOnboardingToManualReview(deps, c, cmd);
    case 'redrive':
      return deps.redriveWebhook(c.subjectId);
    default:
      throw new CaseCommandError(422, 'ACTION_NOT_ALLOWED', `Unknown action ${String(cmd.action)}`);
  }
}
