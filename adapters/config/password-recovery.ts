import { z } from 'zod';

import { envPositiveInt } from './schema';

/**
 * Secrets a person receives by email to choose a password: the staff welcome's set-password link
 * and the password-reset code. Read by the API (it documents and checks them) and by the
 * notifications worker, which mints each secret inside the activity that sends it (so it never
 * enters workflow history).
 */
export const passwordLinksSchema = z.object({
  /** How long the set-password link in a staff welcome email works (it works once). */
  PASSWORD_SETUP_TTL_HOURS: envPositiveInt.max(24 * 14).default(72),
  /** The page the welcome email links to (`?token=…` is appended); unset: the API's own /set-password page. */
  PASSWORD_SETUP_URL: z.url().optional(),
  /** How long an emailed password-reset code works (it works once; a newer code replaces it). */
  PASSWORD_RESET_CODE_TTL_MINUTES: envPositiveInt.max(24 * 60).default(30),
});

/**
 * Abuse limits of password recovery (API only). `forgot` emails an address the caller chooses, so it
 * is limited per client IP (a spam relay) and per address (mail-bombing one person from many
 * IPs); `reset` checks a 6-digit code, so guesses are limited per IP and per address besides
 * the per-code attempt limit (a code is burnt after PASSWORD_RESET_MAX_ATTEMPTS wrong tries).
 */
export const passwordRecoveryLimitsSchema = z.object({
  PASSWORD_RESET_MAX_ATTEMPTS: envPositiveInt.max(10).default(5),
  RATE_LIMIT_PASSWORD_WINDOW_SECONDS: envPositiveInt.default(3600),
  RATE_LIMIT_FORGOT_PER_IP: envPositiveInt.default(10),
  RATE_LIMIT_FORGOT_PER_EMAIL: envPositiveInt.default(3),
  RATE_LIMIT_RESET_PER_IP: envPositiveInt.default(30),
  RATE_LIMIT_RESET_PER_EMAIL: envPositiveInt.default(10),
});
