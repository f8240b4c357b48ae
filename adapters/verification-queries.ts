import type { Models } from './models';

/**
 * The requests operators care about, shared by the admin endpoint and the daily sweep:
 * - overdue: still waiting for the user although the due date has passed (the workflow should
 *   have expired it, so it is behind or gone);
 * - stuck: submitted/verifying for longer than `stuckAfterMinutes` (provider outage, dead worker).
 */
export const overdueFilter = (now: Date) => ({
  dueAt: { $lt: now },
  $or: [{ status: { $in: ['created', 'notified'] } }, { status: 'failed', canResubmit: true }],
});

export const stuckFilter = (now: Date, stuckAfterMinutes: number) => ({
  status: { $in: ['submitted', 'verifying'] },
  statusAt: { $lt: new Date(now.getTime() - stuckAfterMinutes * 60_000) },
});

export async function findOverdueAndStuck(
  models: Pick<Models, 'VerificationRequest'>,
  opts: { now: Date; stuckAfterMinutes: number; tenantId?: string; limit?: number },
) {
  const scope = opts.tenantId ? { tenantId: opts.tenantId } : {};
  const projection = { _id: 1, tenantId: 1, userId: 1, types: 1, status: 1, statusAt: 1, dueAt: 1 };
  const [overdue, stuck] = await Promise.all([
    models.VerificationRequest.find({ ...scope, ...overdueFilter(opts.now) }, projection)
      .sort({ dueAt: 1 })
      .limit(opts.limit ?? 500)
      .lean(),
    models.VerificationRequest.find({ ...scope, ...stuckFilter(opts.now, opts.stuckAfterMinutes) }, projection)
      .sort({ statusAt: 1 })
      .limit(opts.limit ?? 500)
      .lean(),
  ]);
  return { overdue, stuck };
}
