import { Context } from '@temporalio/activity';

import { sweepCases } from '../../adapters/cases/case-store';
import { onboardingOverdueLimits } from '../../adapters/cases/onboarding-overdue-source';
import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import type { CaseSweepPassResult } from '../../domain/contracts/cases.contract';
import { taskQueues } from '../../domain/task-queues';
import { createPartnerKycCaseActivities } from './partner-kyc-case-activities';

/** The case sweep's one step (workflows/case-sweep.ts), and what case actions have runs do (partner KYC). */
export function createCaseActivities({
  models,
  config,
}: {
  models: Models;
  config: Pick<
    Config,
    | 'VERIFICATION_STUCK_AFTER_MINUTES'
    | 'CASE_WEBHOOK_PENDING_MINUTES'
    | 'PARTNER_KYC_HOLD_HOURS'
    | 'CASE_HOLD_EXPIRING_HOURS'
    | 'CONFIRM_REMINDER_AFTER_HOURS'
    | 'KYC_STEP_REMINDER_AFTER_HOURS'
    | 'CASE_ONBOARDING_OVERDUE_SECONDS'
    | 'TASK_QUEUE_PREFIX'
    | 'CASE_PARTNER_KYC_PENDING_MINUTES'
  >;
}) {
  return {
    /** One pass over every case source: open what is stuck, resolve what cleared (idempotent). */
    async sweepCases(): Promise<CaseSweepPassResult> {
      return sweepCases(models, {
        now: new Date(),
        stuckAfterMinutes: config.VERIFICATION_STUCK_AFTER_MINUTES,
        webhookPendingMinutes: config.CASE_WEBHOOK_PENDING_MINUTES,
        holdHours: config.PARTNER_KYC_HOLD_HOURS,
        holdExpiringHours: config.CASE_HOLD_EXPIRING_HOURS,
        // The worker's own client: the kinds found in Temporal's visibility store (workflow runs).
        temporal: Context.current().client,
        onboardingOverdue: onboardingOverdueLimits(config),
        taskQueues: Object.values(taskQueues(config.TASK_QUEUE_PREFIX)),
        partnerKycPendingMinutes: config.CASE_PARTNER_KYC_PENDING_MINUTES,
      });
    },
    ...createPartnerKycCaseActivities({ models }),
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
