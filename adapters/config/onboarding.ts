import { z } from 'zod';

import { envPositiveInt } from './schema';

const csvUpper = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  );

/**
 * Onboarding: confirmation-code limits, reminder/abandonment timing and when the Bridge step
 * applies. The providers' credentials live in veriff.ts and bridge.ts (only their callers hold them).
 */
export const onboardingSchema = z.object({
  CONFIRM_CODE_TTL_MINUTES: envPositiveInt.default(24 * 60),
  CONFIRM_CODE_MAX_ATTEMPTS: envPositiveInt.default(5),
  CONFIRM_CODE_MAX_RESENDS: envPositiveInt.default(5),
  CONFIRM_CODE_RESEND_COOLDOWN_SECONDS: envPositiveInt.default(60),
  /** No confirmation after this long → a reminder with a fresh code; after the next → abandoned. */
  CONFIRM_REMINDER_AFTER_HOURS: envPositiveInt.default(24),
  CONFIRM_ABANDON_AFTER_HOURS: envPositiveInt.default(72),
  /**
   * Every KYC wait (Veriff session, submission, decision; Bridge link, approval) reminds the user
   * this long after the step began, and ends the onboarding as `abandoned` after the second.
   */
  KYC_STEP_REMINDER_AFTER_HOURS: envPositiveInt.default(72),
  KYC_STEP_ABANDON_AFTER_HOURS: envPositiveInt.default(30 * 24),
  /** Veriff allows 9 resubmissions; the 10th attempt is declined. */
  VERIFF_MAX_RESUBMISSIONS: envPositiveInt.default(9),

  /** Bridge step on by default; off for these ISO countries (organization settings can also switch it off). */
  BRIDGE_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  BRIDGE_SKIP_COUNTRIES: csvUpper,
});
