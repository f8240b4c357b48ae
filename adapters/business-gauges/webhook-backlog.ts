import type { Models } from '../models';

export interface WebhookBacklog {
  /** Acknowledged provider webhooks whose signal has not reached the workflow yet. */
  pending: number;
  /** Age of the oldest of them (0 when none). */
  oldestAgeSeconds: number;
}

/**
 * Reads webhookPendingSignals, which holds only what is in flight or left behind (its model says
 * why), so a count and the oldest entry stay cheap even on FerretDB, which scans: the collection is
 * small unless delivery is broken, which is exactly when the bounded scrape answers the last value.
 */
export async function readWebhookBacklog(
  models: Pick<Models, 'WebhookPendingSignal'>,
  now: Date,
  maxTimeMs: number,
): Promise<WebhookBacklog> {
  const [pending, oldest] = await Promise.all([
    models.WebhookPendingSignal.countDocuments({}).maxTimeMS(maxTimeMs),
    models.WebhookPendingSignal.findOne({}, { createdAt: 1 }).sort({ createdAt: 1 }).maxTimeMS(maxTimeMs).lean(),
  ]);
  const oldestAgeSeconds = oldest ? Math.max(0, (now.getTime() - oldest.createdAt.getTime()) / 1000) : 0;
  return { pending, oldestAgeSeconds };
}

/**
 * How far behind the sweeper is: a pending signal becomes the sweeper's once it is older than
 * `afterSeconds`, and a pass runs every `intervalSeconds`; any age past both is lag (0 = on time).
 */
export function sweeperLagSeconds(
  backlog: WebhookBacklog,
  sweep: { afterSeconds: number; intervalSeconds: number },
): number {
  if (backlog.pending === 0) return 0;
  return Math.max(0, backlog.oldestAgeSeconds - sweep.afterSeconds - sweep.intervalSeconds);
}
