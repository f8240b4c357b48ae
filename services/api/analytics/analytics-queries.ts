import { readCounters, type ReadModelModels } from '../../../adapters/analytics/read-model';
import { VERIFICATION_STATUSES } from '../../../domain/contracts/verification-request.contract';
import {
  ALL_COUNTRIES,
  bucketOf,
  bucketsBetween,
  counterIds,
  dayOf,
  FUNNEL_STEPS,
  histogramMedian,
  type Interval,
  OPEN_VERIFICATION_STATUSES,
  periodsBetween,
} from '../../../domain/rules/analytics-facts';
import { KYC_LEVELS, USER_ROLES, USER_STATUSES, USER_TYPES } from '../../../domain/vocabulary/users';

/** Who and what a query covers: `scope` is 'all' or 't:<tenantId>'; country is a key part or null. */
export interface Filter {
  scope: string;
  country: string | null;
}
export interface Range {
  from: string;
  to: string;
  interval: Interval;
}

/** Key rows of a counter map: the `|`-split key and its count, restricted to one prefix. */
function* rows(m: Record<string, number>, prefix: string): Generator<[string[], number]> {
  for (const [k, n] of Object.entries(m)) {
    const parts = k.split('|');
    if (parts[0] === prefix) yield [parts.slice(1), n];
  }
}
const zeros = <T extends string>(names: readonly T[]) =>
  Object.fromEntries(names.map((n) => [n, 0])) as Record<T, number>;
const inc = (o: Record<string, number>, k: string, n: number) => (o[k] = (o[k] ?? 0) + n);
const countryOk = (f: Filter, c: string) => f.country === null || f.country === c;
/** YYYY-MM-DD of the last day of a YYYY-MM month (UTC). */
const lastDayOf = (month: string) => dayOf(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0));

/** The users counter doc of the scope, read once per request. */
async function usersDoc(models: ReadModelModels, f: Filter) {
  const id = counterIds.users(f.scope);
  return (await readCounters(models, [id])).get(id)!;
}
/** Per-dimension totals of the users doc (status, role, type, level, tier): `{value: count}`. */
function dimension(
  m: Record<string, number>,
  f: Filter,
  prefix: 's' | 'r' | 't' | 'k' | 'p',
  base: Record<string, number>,
) {
  const out = { ...base };
  for (const [[c, v], n] of rows(m, prefix)) if (countryOk(f, c)) inc(out, v, n);
  return out;
}
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

export async function activeUsers(models: ReadModelModels, f: Filter, now: Date) {
  const m = await usersDoc(models, f);
  const byStatus = dimension(m, f, 's', zeros(USER_STATUSES));
  const today = dayOf(now.getTime());
  const since = (days: number) => dayOf(now.getTime() - (days - 1) * 86_400_000);
  const windows = { daily: since(1), weekly: since(7), monthly: since(30) };
  const active = { daily: 0, weekly: 0, monthly: 0 };
  for (const [[c, day], n] of rows(m, 'a')) {
    if (!countryOk(f, c) || day > today) continue;
    for (const w of ['daily', 'weekly', 'monthly'] as const) if (day >= windows[w]) active[w] += n;
  }
  return {
    asOf: today,
    activeStatus: byStatus.active,
    dailyActiveUsers: active.daily,
    weeklyActiveUsers: active.weekly,
    monthlyActiveUsers: active.monthly,
    windows,
  };
}

export async function statusDistribution(models: ReadModelModels, f: Filter) {
  const out = dimension(await usersDoc(models, f), f, 's', zeros(USER_STATUSES));
  return { total: sum(out), byStatus: out };
}

export async function roleDistribution(models: ReadModelModels, f: Filter) {
  const m = await usersDoc(models, f);
  const byRole = dimension(m, f, 'r', zeros(USER_ROLES));
  const byUserType = dimension(m, f, 't', zeros(USER_TYPES));
  return { total: sum(byRole), byRole, byUserType };
}

export async function kycLevels(models: ReadModelModels, f: Filter) {
  const m = await usersDoc(models, f);
  const byLevel = dimension(m, f, 'k', zeros(KYC_LEVELS));
  const byPartnerTier = dimension(m, f, 'p', { none: 0 });
  return { total: sum(byLevel), byLevel, byPartnerTier };
}

export async function geography(models: ReadModelModels, f: Filter) {
  const m = await usersDoc(models, f);
  const by = new Map<string, Record<string, number>>();
  for (const [[c, status], n] of rows(m, 's')) {
    if (!countryOk(f, c)) continue;
    if (!by.has(c)) by.set(c, zeros(USER_STATUSES));
    inc(by.get(c)!, status, n);
  }
  const countries = [...by]
    .map(([country, byStatus]) => ({ country: country === '-' ? null : country, total: sum(byStatus), byStatus }))
    .filter((r) => r.total > 0)
    .sort((a, b) => b.total - a.total || String(a.country).localeCompare(String(b.country)));
  return { total: countries.reduce((a, r) => a + r.total, 0), countries };
}

export async function growth(models: ReadModelModels, f: Filter, r: Range) {
  const ids = periodsBetween(r.from, r.to, 'year').map((y) => counterIds.growth(f.scope, y));
  const docs = await readCounters(models, ids);
  const buckets = new Map(
    bucketsBetween(r.from, r.to, r.interval).map((b) => [b, { period: b, registrations: 0, activations: 0 }]),
  );
  for (const m of docs.values()) {
    for (const kind of ['reg', 'act'] as const) {
      for (const [[c, day], n] of rows(m, kind)) {
        if (!countryOk(f, c) || day < r.from || day > r.to) continue;
        const b = buckets.get(bucketOf(day, r.interval))!;
        if (kind === 'reg') b.registrations += n;
        else b.activations += n;
      }
    }
  }
  const series = [...buckets.values()];
  return {
    ...r,
    totals: {
      registrations: series.reduce((a, b) => a + b.registrations, 0),
      activations: series.reduce((a, b) => a + b.activations, 0),
    },
    series,
  };
}

const pct = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 100);

export async function kycFunnel(models: ReadModelModels, f: Filter, r: Pick<Range, 'from' | 'to'>) {
  const country = f.country ?? ALL_COUNTRIES;
  // Months the range covers whole are read from their month sums; the (at most two) it cuts, by day.
  const parts = periodsBetween(r.from, r.to, 'month').map((month) => {
    const whole = r.from <= `${month}-01` && r.to >= lastDayOf(month);
    return {
      whole,
      id: whole ? counterIds.funnelMonth(f.scope, month, country) : counterIds.funnel(f.scope, month, country),
    };
  });
  const docs = await readCounters(
    models,
    parts.map((p) => p.id),
  );
  const counts = FUNNEL_STEPS.map(() => 0);
  const hours = FUNNEL_STEPS.map(() => new Map<number, number>());
  const inRange = (day: string) => day >= r.from && day <= r.to;
  for (const { whole, id } of parts) {
    const m = docs.get(id)!;
    for (const [key, n] of rows(m, 'n')) if (whole || inRange(key[0])) counts[Number(key.at(-1))] += n;
    for (const [key, n] of rows(m, 'h')) {
      if (!whole && !inRange(key[0])) continue;
      const [step, h] = key.slice(-2).map(Number);
      hours[step].set(h, (hours[step].get(h) ?? 0) + n);
    }
  }
  return {
    from: r.from,
    to: r.to,
    steps: FUNNEL_STEPS.map((step, i) => ({
      step,
      count: counts[i],
      conversionFromPrevious: i === 0 ? null : pct(counts[i], counts[i - 1]),
      conversionFromRegistered: pct(counts[i], counts[0]),
      medianHoursFromPrevious: i === 0 ? null : histogramMedian(hours[i]),
    })),
  };
}

export async function verificationRequests(models: ReadModelModels, f: Filter, now: Date) {
  const id = counterIds.verification(f.scope);
  const m = (await readCounters(models, [id])).get(id)!;
  const byStatus = zeros(VERIFICATION_STATUSES);
  const failedByCode: Record<string, number> = {};
  const minutes = new Map<number, number>();
  let overdue = 0;
  for (const [[s], n] of rows(m, 's')) inc(byStatus, s, n);
  for (const [[code], n] of rows(m, 'f')) inc(failedByCode, code, n);
  for (const [[due], n] of rows(m, 'due')) if (Number(due) < now.getTime()) overdue += n;
  for (const [[mins], n] of rows(m, 'v')) minutes.set(Number(mins), (minutes.get(Number(mins)) ?? 0) + n);
  return {
    total: sum(byStatus),
    byStatus,
    outcomes: {
      verified: byStatus.verified,
      failed: byStatus.failed,
      failedByCode,
      expired: byStatus.expired,
      cancelled: byStatus.cancelled,
      open: OPEN_VERIFICATION_STATUSES.reduce((a, s) => a + byStatus[s as keyof typeof byStatus], 0),
      overdue,
    },
    medianMinutesToVerify: histogramMedian(minutes),
  };
}

export async function transactionAverages(models: ReadModelModels, f: Filter, r: Range) {
  const ids = periodsBetween(r.from, r.to, 'year').map((y) => counterIds.transactions(f.scope, y));
  const docs = await readCounters(models, ids);
  const periods = bucketsBetween(r.from, r.to, r.interval);
  const groups = new Map<
    string,
    {
      direction: string;
      currency: string;
      count: number;
      milli: number;
      series: Map<string, { count: number; milli: number }>;
    }
  >();
  for (const m of docs.values()) {
    for (const kind of ['n', 's'] as const) {
      for (const [[direction, currency, day], n] of rows(m, kind)) {
        if (day < r.from || day > r.to) continue;
        const key = `${direction}|${currency}`;
        if (!groups.has(key))
          groups.set(key, {
            direction,
            currency,
            count: 0,
            milli: 0,
            series: new Map(periods.map((p) => [p, { count: 0, milli: 0 }])),
          });
        const g = groups.get(key)!;
        const b = g.series.get(bucketOf(day, r.interval))!;
        if (kind === 'n') {
          g.count += n;
          b.count += n;
        } else {
          g.milli += n;
          b.milli += n;
        }
      }
    }
  }
  const avg = (milli: number, count: number) => (count === 0 ? null : milli / 1000 / count);
  return {
    ...r,
    groups: [...groups.values()]
      .sort((a, b) => a.direction.localeCompare(b.direction) || a.currency.localeCompare(b.currency))
      .map((g) => ({
        direction: g.direction,
        currency: g.currency,
        count: g.count,
        sum: g.milli / 1000,
        average: avg(g.milli, g.count),
        series: [...g.series].map(([period, b]) => ({
          period,
          count: b.count,
          sum: b.milli / 1000,
          average: avg(b.milli, b.count),
        })),
      })),
  };
}
