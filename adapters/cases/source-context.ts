import type { Client } from '@temporalio/client';

import { taskQueues } from '../../domain/task-queues';
import type { Config } from '../config';
import type { SourceContext } from './case-source';
import { onboardingOverdueLimits } from './onboarding-overdue-source';

/** The settings the case sources read: the sweep's pass and an action's re-check read the same ones. */
export type CaseSourceConfig = Pick<
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

/**
 * One place that turns the settings into what the sources read, so "is it still stuck?" is asked
 * with the same limits by the sweep (the worker's client) and by an action's re-check (the API's).
 */
export function caseSourceContext(config: CaseSourceConfig, now: Date, temporal: Client): SourceContext {
  return {
    now,
    stuckAfterMinutes: config.VERIFICATION_STUCK_AFTER_MINUTES,
    webhookPendingMinutes: config.CASE_WEBHOOK_PENDING_MINUTES,
    holdHours: config.PARTNER_KYC_HOLD_HOURS,
    holdExpiringHours: config.CASE_HOLD_EXPIRING_HOURS,
    temporal,
    onboardingOverdue: onboardingOverdueLimits(config),
    taskQueues: Object.values(taskQueues(config.TASK_QUEUE_PREFIX)),
    partnerKycPendingMinutes: config.CASE_PARTNER_KYC_PENDING_MINUTES,
  };
}
