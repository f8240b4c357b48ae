// Analytics read models, as pure rules: what a record contributes to the counters. A record's
// "facts" are the few values analytics counts; its contributions are (counter doc, key, +n) rows.
// The roller folds a changed record as contributions(new facts) − contributions(old facts), so
// every counter is always the exact sum over the records' current facts.

/** Counter doc id → key → amount. */
export type CounterDelta = Map<string, Map<string, number>>;

export const FUNNEL_STEPS = [
  'registered',
  'email_confirmed',
  'kyc_started',
  'kyc_approved',
  'terms_accepted',
  'active',
] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface UserFacts {
  tenantId: string | null;
  country: string;
  status: string;
  role: string;
  userType: string;
  kycLevel: string;
  tier: string;
  /** Epoch ms of each funnel step the user reached (registered = createdAt), null if not reached. */
  steps: Record<FunnelStep, number | null>;
  /** Epoch ms of the last sign-in or API call. */
  lastActiveAt: number | null;
}

export interface VerificationFacts {
  tenantId: string | null;
  status: string;
  failureCode: string | null;
  createdAt: number;
  dueAt: number;
  verifiedAt: number | null;
}

export interface TransactionFacts {
  tenantId: string;
  direction: string;
  currency: string;
  createdAt: number;
  /** Amount in thousandths of a major unit (integer): sums stay exact up to 9e15. */
  milli: number;
  counted: boolean;
}

export const NO_COUNTRY = '-';
/** Counter docs summed over every country; keyPart never yields '$', so no country collides. */
export const ALL_COUNTRIES = '$all';
export const OPEN_VERIFICATION_STATUSES = ['created', 'notified', 'submitted', 'verifying'];

/** A value used inside a counter key: no '.', '|' or leading '$' (document field name rules). */
export const keyPart = (v: string | null | undefined, fallback = NO_COUNTRY) =>
  v ? v.replace(/[.|$]/g, '_') : fallback;
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const scopesOf = (tenantId: string | null) => (tenantId ? ['all', `t:${tenantId}`] : ['all']);
export const toMilli = (amount: number) => Math.round(amount * 1000);

/** Counter doc ids (deterministic, so every read is an `_id` lookup). */
export const counterIds = {
  users: (scope: string) => `${scope}:users`,
  growth: (scope: string, year: string) => `${scope}:growth:${year}`,
  /** A month's funnel by registration day, for one country or ALL_COUNTRIES (ranges that cut the month). */
  funnel: (scope: string, month: string, country: string) => `${scope}:funnel:${month}:${country}`,
  /** The same month summed over its days (ranges that cover the whole month). */
  funnelMonth: (scope: string, month: string, country: string) => `${scope}:funnelm:${month}:${country}`,
  verification: (scope: string) => `${scope}:vr`,
  transactions: (scope: string, year: string) => `${scope}:tx:${year}`,
};

// Keys may not contain '.' or start with '$' (document field names): separators are '|'.
function add(delta: CounterDelta, doc: string, key: string, n: number) {
  let m = delta.get(doc);
  if (!m) delta.set(doc, (m = new Map()));
  const v = (m.get(key) ?? 0) + n;
  if (v === 0) m.delete(key);
  else m.set(key, v);
}

/** Whole hours between two steps (durations are floored to the hour before the median). */
export const hoursBetween = (a: number, b: number) => Math.max(0, Math.floor((b - a) / 3_600_000));
/** Whole minutes between creation and verification (floored before the median). */
export const minutesBetween = (a: number, b: number) => Math.max(0, Math.floor((b - a) / 60_000));

export function userContributions(f: UserFacts, n: number, delta: CounterDelta) {
  const c = f.country;
  const reg = f.steps.registered!;
  for (const scope of scopesOf(f.tenantId)) {
    const users = counterIds.users(scope);
    add(delta, users, `s|${c}|${f.status}`, n);
    add(delta, users, `r|${c}|${f.role}`, n);
    add(delta, users, `t|${c}|${f.userType}`, n);
    add(delta, users, `k|${c}|${f.kycLevel}`, n);
    add(delta, users, `p|${c}|${f.tier}`, n);
    if (f.lastActiveAt !== null) add(delta, users, `a|${c}|${dayOf(f.lastActiveAt)}`, n);
    add(delta, counterIds.growth(scope, dayOf(reg).slice(0, 4)), `reg|${c}|${dayOf(reg)}`, n);
    if (f.steps.active !== null)
      add(delta, counterIds.growth(scope, dayOf(f.steps.active).slice(0, 4)), `act|${c}|${dayOf(f.steps.active)}`, n);
    // Funnel: by registration day; each step reached, and the hours since the previous step. Kept
    // per country and for all countries, by day and summed per month, so a query reads small docs:
    // whole months from the month sums, the cut months at the range's ends by day.
    const regDay = dayOf(reg);
    const month = regDay.slice(0, 7);
    for (const country of [c, ALL_COUNTRIES]) {
      const byDay = counterIds.funnel(scope, month, country);
      const byMonth = counterIds.funnelMonth(scope, month, country);
      for (let i = 0; i < FUNNEL_STEPS.length; i++) {
        const at = f.steps[FUNNEL_STEPS[i]];
        if (at === null) continue;
        add(delta, byDay, `n|${regDay}|${i}`, n);
        add(delta, byMonth, `n|${i}`, n);
        const prev = i > 0 ? f.steps[FUNNEL_STEPS[i - 1]] : null;
        if (prev === null) continue;
        const hours = hoursBetween(prev, at);
        add(delta, byDay, `h|${regDay}|${i}|${hours}`, n);
        add(delta, byMonth, `h|${i}|${hours}`, n);
      }
    }
  }
}

export function verificationContributions(f: VerificationFacts, n: number, delta: CounterDelta) {
  for (const scope of scopesOf(f.tenantId)) {
    const doc = counterIds.verification(scope);
    add(delta, doc, `s|${f.status}`, n);
    if (f.status === 'failed') add(delta, doc, `f|${f.failureCode ?? 'unknown'}`, n);
    if (OPEN_VERIFICATION_STATUSES.includes(f.status)) add(delta, doc, `due|${f.dueAt}`, n);
    if (f.verifiedAt !== null) add(delta, doc, `v|${minutesBetween(f.createdAt, f.verifiedAt)}`, n);
  }
}

export function transactionContributions(f: TransactionFacts, n: number, delta: CounterDelta) {
  if (!f.counted) return;
  const day = dayOf(f.createdAt);
  for (const scope of scopesOf(f.tenantId)) {
    const doc = counterIds.transactions(scope, day.slice(0, 4));
    add(delta, doc, `n|${f.direction}|${f.currency}|${day}`, n);
    add(delta, doc, `s|${f.direction}|${f.currency}|${day}`, n * f.milli);
  }
}

export type Facts =
  { kind: 'u'; f: UserFacts } | { kind: 'v'; f: VerificationFacts } | { kind: 'x'; f: TransactionFacts };

export function contribute(facts: Facts, n: number, delta: CounterDelta) {
  if (facts.kind === 'u') userContributions(facts.f, n, delta);
  else if (facts.kind === 'v') verificationContributions(facts.f, n, delta);
  else transactionContributions(facts.f, n, delta);
}

/** Median of a histogram {value: count} (lower median for even totals); null when empty. */
export function histogramMedian(hist: Map<number, number>): number | null {
  const total = [...hist.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = Math.floor((total - 1) / 2);
  let seen = 0;
  for (const v of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(v)!;
    if (seen > target) return v;
  }
  return null;
}

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** The UTC bucket a day (YYYY-MM-DD) falls in: itself, its ISO week's Monday, or the 1st. */
export function bucketOf(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return dayOf(d.getTime() - back * 86_400_000);
}

/** Every bucket start from the bucket of `from` to the bucket of `to` (gap filling). */
export function bucketsBetween(from: string, to: string, interval: Interval): string[] {
  const out: string[] = [];
  let cur = bucketOf(from, interval);
  const last = bucketOf(to, interval);
  while (cur <= last) {
    out.push(cur);
    const d = new Date(`${cur}T00:00:00Z`);
    if (interval === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
    cur = dayOf(d.getTime());
  }
  return out;
}

/** Every YYYY (or YYYY-MM) from `from` to `to`, for the counter docs a range touches. */
export function periodsBetween(from: string, to: string, unit: 'year' | 'month'): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = unit === 'year' ? to.slice(0, 4) : to.slice(0, 7);
  for (;;) {
    const p = unit === 'year' ? String(y) : `${y}-${String(m).padStart(2, '0')}`;
    if (p > end) return out;
    out.push(p);
    if (unit === 'year') y++;
    else if (++m > 12) {
      m = 1;
      y++;
    }
  }
}
