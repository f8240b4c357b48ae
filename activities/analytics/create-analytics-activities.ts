import {
  foldAnalyticsNotes,
  type ReadModelModels,
  rebuildAnalytics,
  type RebuildSummary,
} from '../../adapters/analytics/read-model';

/** The analytics roller's two steps; only the roller workflow calls them (single writer). */
export function createAnalyticsActivities({ models }: { models: ReadModelModels }) {
  return {
    /** One round: fold pending outbox notes into the counters. Returns how many were folded. */
    async foldAnalytics(): Promise<number> {
      return foldAnalyticsNotes(models);
    },
    /** Reconcile: rebuild projections and counters from the raw collections. */
    async rebuildAnalytics(): Promise<RebuildSummary> {
      return rebuildAnalytics(models);
    },
  };
}

export type AnalyticsActivities = ReturnType<typeof createAnalyticsActivities>;
