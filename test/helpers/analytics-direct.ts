// Direct counts over the raw collections, written independently of the read models: the analytics
// tests (and the bench's "plain collection scan" column) compare every endpoint against these.
import type { Models } from '../../adapters/models';

const day = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);
const count = <T>(items: T[], key: (t: T) => string) => {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
};
const lowerMedian = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));

/** `country` narrows the user-based figures (as stored, `-` for none), like the endpoints' filter. */
export async function directAnalytics(
  models: Models,
  opts: { tenantId?: string; country?: string; from: string; to: string; now: Date },
) {
  const scope = opts.tenantId ? { tenantId: opts.tenantId } : {};
  const users = (await models.User.find(scope).lean()).filter(
    (u) => !opts.country || (u.country ?? '-') === opts.country,
  );
  const requests = await models.VerificationRequest.find(scope).lean();
  const txs = await models.Transaction.find(scope).lean();
  const today = day(opts.now)!;
  const since = (n: number) => day(new Date(opts.now.getTime() - (n - 1) * 86_400_000))!;
  const activeSince = (n: number) =>
    users.filter((u) => u.lastActiveAt && day(u.lastActiveAt)! >= since(n) && day(u.lastActiveAt)! <= today).length;
  const inRange = (d: string | null) => d !== null && d >= opts.from && d <= opts.to;
  const cohort = users.filter((u) => inRange(day(u.createdAt)));
  const stepTimes = (u: (typeof users)[number]) => [
    u.createdAt,
    u.emailVerifiedAt,
    u.kycStartedAt,
    u.kycApprovedAt,
    u.termsAcceptedAt,
    u.activatedAt,
  ];
  const funnel = [0, 1, 2, 3, 4, 5].map((i) => ({
    count: cohort.filter((u) => stepTimes(u)[i]).length,
    medianHours:
      i === 0
        ? null
        : lowerMedian(
            cohort
              .filter((u) => stepTimes(u)[i] && stepTimes(u)[i - 1])
              .map((u) =>
                Math.max(0, Math.floor((+new Date(stepTimes(u)[i]!) - +new Date(stepTimes(u)[i - 1]!)) / 3_600_000)),
              ),
          ),
  }));
  const open = ['created', 'notified', 'submitted', 'verifying'];
  const verifiedMinutes = requests
    .filter((r) => r.status === 'verified')
    .map((r) => {
      const at = r.transitions.find((t) => t.status === 'verified')?.at ?? r.statusAt;
      return Math.max(0, Math.floor((+new Date(at) - +new Date(r.createdAt)) / 60_000));
    });
  const counted = txs.filter((t) => t.status !== 'declined' && inRange(day(t.createdAt)));
  const txGroups: Record<string, { count: number; milli: number }> = {};
  for (const t of counted) {
    const g = (txGroups[`${t.direction}|${t.currency}`] ??= { count: 0, milli: 0 });
    g.count += 1;
    g.milli += Math.round(t.amount * 1000);
  }
  return {
    byStatus: nonZero(count(users, (u) => u.status)),
    byRole: nonZero(count(users, (u) => u.role)),
    byUserType: nonZero(count(users, (u) => u.userType)),
    byLevel: nonZero(count(users, (u) => u.kycLevel)),
    byCountry: count(users, (u) => u.country ?? '-'),
    active: {
      activeStatus: users.filter((u) => u.status === 'active').length,
      daily: activeSince(1),
      weekly: activeSince(7),
      monthly: activeSince(30),
    },
    registrations: count(cohort, (u) => day(u.createdAt)!),
    activations: count(
      users.filter((u) => inRange(day(u.activatedAt))),
      (u) => day(u.activatedAt)!,
    ),
    funnel,
    verification: {
      byStatus: nonZero(count(requests, (r) => r.status)),
      failedByCode: count(
        requests.filter((r) => r.status === 'failed'),
        (r) => r.failure?.code ?? 'unknown',
      ),
      overdue: requests.filter((r) => open.includes(r.status) && +new Date(r.dueAt) < opts.now.getTime()).length,
      medianMinutes: lowerMedian(verifiedMinutes),
    },
    transactions: Object.fromEntries(
      Object.entries(txGroups).map(([k, g]) => [k, { count: g.count, sum: g.milli / 1000 }]),
    ),
  };
}
