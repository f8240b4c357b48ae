import { z } from 'zod';
import { envBoolean, envPositiveInt, envUrl } from './schema';
import { keyring } from './security';

// "email@24h,sms@72h,push@120h": channel@hours after the request was created.
const ladder = z
  .string()
  .regex(/^(email|sms|push)@\d+(\.\d+)?h(,(email|sms|push)@\d+(\.\d+)?h)*$/, 'expected channel@<hours>h entries, e.g. email@24h,sms@72h')
  .transform((v) => v.split(',').map((step) => {
    const [channel, hours] = step.split('@');
    return { channel: channel as 'email' | 'sms' | 'push', afterMinutes: Math.round(parseFloat(hours) * 60) };
  }));

/**
 * BVN/NIN verification requests. Every value here is a service default; an organization may
 * override the ladder, quiet hours, due days and resubmission limit in `settings.verification`.
 */
export const verificationSchema = z.object({
  VERIFICATION_REMINDER_LADDER: ladder.default(ladder.parse('email@24h,sms@72h,push@120h')),
  VERIFICATION_QUIET_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM, e.g. 21:00-08:00')
    .default('21:00-08:00'),
  VERIFICATION_DUE_DAYS: envPositiveInt.max(90).default(7),
  VERIFICATION_MAX_SUBMISSIONS: envPositiveInt.max(10).default(3),
  /** A request sitting in submitted/verifying longer than this is "stuck" (sweep + admin list). */
  VERIFICATION_STUCK_AFTER_MINUTES: envPositiveInt.default(60),
  /** Cron (UTC) of the daily sweep Schedule that digests overdue/stuck requests to compliance officers. */
  VERIFICATION_SWEEP_CRON: z.string().min(9).default('0 7 * * *'),
  /** Pause of the analytics roller (docs/analytics.md) when the outbox is empty. */
  ANALYTICS_ROLL_INTERVAL_MS: envPositiveInt.max(600_000).default(2000),

  /** Smile ID Enhanced KYC; unset base URL = the sandbox (SANDBOX_URL). */
  SMILE_ID_BASE_URL: envUrl.optional(),
  SMILE_ID_PARTNER_ID: z.string().min(1).default('sandbox-partner'),
  /** Secret: signs requests (base64 HMAC-SHA256 of timestamp + partner_id + "sid_request"). */
  SMILE_ID_API_KEY: z.string().min(16, 'must be at least 16 characters'),

  /**
   * AES-256-GCM keys of the Temporal PayloadCodec, `kid:base64(32 bytes)[,…]`, first encrypts.
   * Unset = PII_ENCRYPTION_KEYS. Kept separate-able so codec-server operators need not hold the at-rest keys.
   */
  PAYLOAD_CODEC_KEYS: keyring(32).optional(),
  /** Origins (comma-separated) allowed to call /codec/* from a browser: the Temporal Web UI. */
  CODEC_CORS_ORIGINS: z.string().default('http://localhost:8233,http://127.0.0.1:8233'),
  /**
   * Local development only: the dev server's Web UI has no login to forward, so `npm start` sets
   * this and the UI can decode. Refused in production (see the config refinement).
   */
  CODEC_ALLOW_ANONYMOUS: envBoolean.default(false),
});
