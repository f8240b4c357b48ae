import { z } from 'zod';
import { envPositiveInt, envUrl } from './schema';

/** A PEM from the environment: real newlines or `\n` escapes (one-line .env values) both work. */
const pem = (label: string) =>
  z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n').trim())
    .refine((v) => v.includes(`-----BEGIN ${label}-----`), `expected a PEM ${label}`);

const csvUpper = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));

/**
 * Onboarding: confirmation-code limits, reminder/abandonment timing, and the Veriff and Bridge
 * providers. Base URLs default to the local sandbox; pointing them at the real providers is
 * configuration only. Keys and the Bridge public key are secrets (dev-secrets.ts generates them).
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

  /** Unset = the sandbox (`${SANDBOX_URL}/veriff`), like every provider base URL. */
  VERIFF_BASE_URL: envUrl.optional(),
  VERIFF_API_KEY: z.string().min(8),
  VERIFF_SHARED_SECRET: z.string().min(16),

  /** Unset = the sandbox (`${SANDBOX_URL}/bridge/v0`). */
  BRIDGE_BASE_URL: envUrl.optional(),
  BRIDGE_API_KEY: z.string().min(8),
  /** PEM public key of the Bridge webhook endpoint (X-Webhook-Signature, RSA-SHA256). */
  BRIDGE_WEBHOOK_PUBLIC_KEY: pem('PUBLIC KEY'),
  BRIDGE_WEBHOOK_MAX_AGE_SECONDS: envPositiveInt.default(600),
  /** Sandbox only: the private half it signs Bridge webhooks with. */
  SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY: pem('PRIVATE KEY').optional(),
  /** Bridge step on by default; off for these ISO countries (organization settings can also switch it off). */
  BRIDGE_ENABLED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  BRIDGE_SKIP_COUNTRIES: csvUpper,
});
