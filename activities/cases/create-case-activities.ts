import { sweepCases } from '../../adapters/cases/case-store';
import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import type { CaseSweepPassResult } from '../../domain/contracts/cases.contract';
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
        partnerKycPendingMinutes: config.CASE_PARTNER_KYC_PENDING_MINUTES,
      });
    },
    ...createPartnerKycCaseActivities({ models }),
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
