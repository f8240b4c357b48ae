import type { Models } from '../models';

export type AnalyticsChangeKind = 'user' | 'transaction' | 'verification-request' | 'activity';

/**
 * Tells analytics that a record it counts changed. Call it after the write it describes (a lost
 * note is healed by the roller's reconcile; a duplicate is harmless because the roller re-reads
 * the record and folds its current state).
 */
export async function noteAnalyticsChange(
  models: Pick<Models, 'AnalyticsOutbox'>,
  kind: AnalyticsChangeKind,
  ref: string,
): Promise<void> {
  await models.AnalyticsOutbox.create({ kind, ref });
}
