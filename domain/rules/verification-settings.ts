import { z } from 'zod';

import type { ReminderStep } from '../contracts/verification-request.contract';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/**
 * The shape of `organization.settings.verification`. Every key is optional; an invalid value is
 * ignored (the service default applies) rather than breaking every request of that tenant.
 */
const tenantVerificationSettings = z.object({
  ladder: z
    .array(z.object({ channel: z.enum(['email', 'sms', 'push']), afterMinutes: z.number().int().positive() }))
    .max(10)
    .optional()
    .catch(undefined),
  quietHours: z.object({ start: clock, end: clock }).optional().catch(undefined),
  dueDays: z.number().int().min(1).max(90).optional().catch(undefined),
  maxSubmissions: z.number().int().min(1).max(10).optional().catch(undefined),
});

export interface VerificationSettings {
  ladder: ReminderStep[];
  quietHours: { start: string; end: string };
  dueDays: number;
  maxSubmissions: number;
}

/** The service-wide defaults (parsed config values) that a tenant's settings override. */
export interface VerificationDefaults {
  VERIFICATION_QUIET_HOURS: string;
  VERIFICATION_REMINDER_LADDER: ReminderStep[];
  VERIFICATION_DUE_DAYS: number;
  VERIFICATION_MAX_SUBMISSIONS: number;
}

export function resolveVerificationSettings(config: VerificationDefaults, orgSettings: unknown): VerificationSettings {
  const raw = (orgSettings as { verification?: unknown } | null | undefined)?.verification;
  const parsed = tenantVerificationSettings.safeParse(raw ?? {});
  const t = parsed.success ? parsed.data : {};
  const [start, end] = config.VERIFICATION_QUIET_HOURS.split('-');
  return {
    ladder: t.ladder ?? config.VERIFICATION_REMINDER_LADDER,
    quietHours: t.quietHours ?? { start, end },
    dueDays: t.dueDays ?? config.VERIFICATION_DUE_DAYS,
    maxSubmissions: t.maxSubmissions ?? config.VERIFICATION_MAX_SUBMISSIONS,
  };
}
