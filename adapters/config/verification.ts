import { z } from 'zod';

import { envPositiveInt } from './schema';

// "email@24h,sms@72h,push@120h": channel@hours after the request was created.
const ladder = z
  .string()
  .regex(
    /^(email|sms|push)@\d+(\.\d+)?h(,(email|sms|push)@\d+(\.\d+)?h)*$/,
    'expected channel@<hours>h entries, e.g. email@24h,sms@72h',
  )
  .transform((v) =>
    v.split(',').map((step) => {
      const [channel, hours] = step.split('@');
      return { channel: channel as 'email' | 'sms' | 'push', afterMinutes: Math.round(parseFloat(hours) * 60) };
    }),
  );

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
});
