import type { Config } from '../../adapters/config';
import type { OnboardingInput } from '../../domain/contracts/onboarding.contract';

/** An onboarding run's timing and limits, taken from config when the run starts (never changes under it). */
type PolicyConfig = Pick<
  Config,
  | 'CONFIRM_CODE_TTL_MINUTES'
  | 'CONFIRM_CODE_MAX_ATTEMPTS'
  | 'CONFIRM_CODE_MAX_RESENDS'
  | 'CONFIRM_CODE_RESEND_COOLDOWN_SECONDS'
  | 'CONFIRM_REMINDER_AFTER_HOURS'
  | 'CONFIRM_ABANDON_AFTER_HOURS'
  | 'VERIFF_MAX_RESUBMISSIONS'
  | 'KYC_STEP_REMINDER_AFTER_HOURS'
  | 'KYC_STEP_ABANDON_AFTER_HOURS'
>;

export function onboardingPolicy(config: PolicyConfig): OnboardingInput['policy'] {
  return {
    codeTtlMs: config.CONFIRM_CODE_TTL_MINUTES * 60_000,
    codeMaxAttempts: config.CONFIRM_CODE_MAX_ATTEMPTS,
    codeMaxResends: config.CONFIRM_CODE_MAX_RESENDS,
    resendCooldownMs: config.CONFIRM_CODE_RESEND_COOLDOWN_SECONDS * 1000,
    confirmReminderAfterMs: config.CONFIRM_REMINDER_AFTER_HOURS * 3_600_000,
    confirmAbandonAfterMs: config.CONFIRM_ABANDON_AFTER_HOURS * 3_600_000,
    veriffMaxResubmissions: config.VERIFF_MAX_RESUBMISSIONS,
    kycStepReminderAfterMs: config.KYC_STEP_REMINDER_AFTER_HOURS * 3_600_000,
    kycStepAbandonAfterMs: config.KYC_STEP_ABANDON_AFTER_HOURS * 3_600_000,
  };
}
