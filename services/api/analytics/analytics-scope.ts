import { z } from 'zod';

import { type Interval, INTERVALS, keyPart } from '../../../domain/rules/analytics-facts';
import { type AuthContext, isInternalAdmin } from '../auth/auth-context';
import { badRequest, forbidden } from '../http/app-error';
import type { Filter, Range } from './analytics-queries';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = () => z.string().regex(DAY, 'a UTC calendar day, YYYY-MM-DD');

// Built on call, not at import: zod-to-openapi extends zod when the OpenAPI document module loads.
export const scopeQuerySchema = () =>
  z.object({
    tenantId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'Internal admins: one tenant (default all). Tenant staff: only their own.' }),
    country: z.string().min(2).max(3).optional().meta({ description: 'ISO country code as stored on the user' }),
  });
export const rangeQuerySchema = () =>
  scopeQuerySchema().extend({
    from: day().optional().meta({ description: 'First UTC day (inclusive); default 29 days before `to`' }),
    to: day().optional().meta({ description: 'Last UTC day (inclusive); default today' }),
    interval: z
      .enum(INTERVALS)
      .default('day')
      .meta({ description: 'UTC calendar buckets: days, ISO weeks (Monday), months' }),
  });

/** Longest range per interval: two years of days, ten years of weeks or months. */
const MAX_DAYS: Record<Interval, number> = { day: 731, week: 3653, month: 3653 };

/**
 * The tenant a caller reads: internal admins choose (or see all); BANK_ADMIN/ANALYST/AUDITOR
 * are pinned to their own tenant and get 403 for any other.
 */
export function filterFor(auth: AuthContext, q: z.infer<ReturnType<typeof scopeQuerySchema>>): Filter {
  const country = q.country ? keyPart(q.country.toUpperCase()) : null;
  if (isInternalAdmin(auth)) return { scope: q.tenantId ? `t:${q.tenantId}` : 'all', country };
  if (!auth.tenantId || (q.tenantId && q.tenantId !== auth.tenantId))
    throw forbidden('You can only read your own tenant', 'FORBIDDEN_TENANT');
  return { scope: `t:${auth.tenantId}`, country };
}

const valid = (d: string) =>
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

export function rangeFor(q: { from?: string; to?: string; interval: Interval }, now: Date): Range {
  const to = q.to ?? now.toISOString().slice(0, 10);
  if (!valid(to) || (q.from && !valid(q.from)))
    throw badRequest('INVALID_DATE', 'from/to must be real calendar days (YYYY-MM-DD)');
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  if (from > to) throw badRequest('INVALID_RANGE', '`from` is after `to`', { from, to });
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_DAYS[q.interval]) {
    throw badRequest('RANGE_TOO_LARGE', `A ${q.interval} interval covers at most ${MAX_DAYS[q.interval]} days`, {
      days,
      max: MAX_DAYS[q.interval],
    });
  }
  return { from, to, interval: q.interval };
}
