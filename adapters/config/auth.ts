import { z } from 'zod';

import { envPositiveInt } from './schema';

/**
 * Sessions, password hashing and abuse limits. Defaults follow seed 002 (refresh 7 days),
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane) and ASVS 2.2.1 (≤ 100 failures/hour/account).
 */
export const authSchema = z.object({
  REFRESH_TOKEN_TTL_SECONDS: envPositiveInt.default(7 * 24 * 3600),
  ARGON2_MEMORY_KIB: envPositiveInt.min(19_456).default(19_456),
  ARGON2_ITERATIONS: envPositiveInt.min(2).default(2),
  ARGON2_PARALLELISM: envPositiveInt.default(1),
  /** Failed logins per account within the window before it is locked until the window ends. */
  AUTH_LOCKOUT_MAX_FAILURES: envPositiveInt.max(100).default(10),
  AUTH_LOCKOUT_WINDOW_SECONDS: envPositiveInt.default(900),
  /** Fixed-window request limits, stored in the database so they hold across API instances. */
  RATE_LIMIT_WINDOW_SECONDS: envPositiveInt.default(60),
  RATE_LIMIT_LOGIN_PER_IP: envPositiveInt.default(30),
  RATE_LIMIT_REFRESH_PER_IP: envPositiveInt.default(60),
  RATE_LIMIT_USER_TOKENS_PER_CLIENT: envPositiveInt.default(120),
  /**
   * Sign-up limits (issue 16): registration and code resends send email to an address the caller
   * chooses, so both are limited per client IP and per email address within their own window.
   */
  RATE_LIMIT_SIGNUP_WINDOW_SECONDS: envPositiveInt.default(3600),
  RATE_LIMIT_REGISTER_PER_IP: envPositiveInt.default(20),
  RATE_LIMIT_REGISTER_PER_EMAIL: envPositiveInt.default(5),
  RATE_LIMIT_RESEND_PER_IP: envPositiveInt.default(20),
  RATE_LIMIT_RESEND_PER_EMAIL: envPositiveInt.default(5),
  /**
   * Confirmation attempts: each code already locks after CONFIRM_CODE_MAX_ATTEMPTS wrong tries; these
   * stop one client from guessing across many addresses and cap tries per address across codes.
   */
  RATE_LIMIT_CONFIRM_PER_IP: envPositiveInt.default(60),
  RATE_LIMIT_CONFIRM_PER_EMAIL: envPositiveInt.default(20),
  /** Staff a tenant may create (each gets a welcome email) per hour. */
  RATE_LIMIT_STAFF_INVITES_PER_TENANT: envPositiveInt.default(50),
  // PASSWORD_SETUP_TTL_HOURS and PASSWORD_SETUP_URL: password-recovery.ts (the notifications worker reads them too).
});
