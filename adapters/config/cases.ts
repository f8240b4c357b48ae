import { z } from 'zod';

import { envPositiveInt } from './schema';

/** The cases read model (docs/operations.md): how often the case sweep looks, and what counts as stuck. */
export const casesSchema = z.object({
  /**
   * Pause of the case sweep workflow between two passes over the sources. A pass scans them (FerretDB
   * has no secondary index reads): ~10 s at 20k users, 50-90 s at 100k (docs/operations.md).
   */
  CASE_SWEEP_INTERVAL_MS: envPositiveInt.max(3_600_000).default(120_000),
  /** A webhook event acknowledged but not signalled for this long is a case (the API's sweeper gave up). */
  CASE_WEBHOOK_PENDING_MINUTES: envPositiveInt.default(10),
  /**
   * A transaction held for a step-up is a case once its deadline (recorded + PARTNER_KYC_HOLD_HOURS)
   * is this close: a person can release or decline it before it is declined on its own.
   */
  CASE_HOLD_EXPIRING_HOURS: envPositiveInt.max(24 * 30).default(24),
  /**
   * onboarding_overdue: an onboarding waiting in one step this long is a case, whatever the step's
   * reminder time (unset: the reminder time, CONFIRM_REMINDER_AFTER_HOURS / KYC_STEP_REMINDER_AFTER_HOURS).
   */
  CASE_ONBOARDING_OVERDUE_SECONDS: envPositiveInt.optional(),
  /**
   * A partner-KYC check still pending this long after it began is a case (a document job the
   * provider has not finished, or a provider down through the activity's retries).
   */
  CASE_PARTNER_KYC_PENDING_MINUTES: envPositiveInt.max(7 * 24 * 60).default(60),
  /** Base URL of the Temporal Web UI: each case links to its run there. */
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
});
