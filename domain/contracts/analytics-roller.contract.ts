// Contract of the analytics roller: the ONE writer of the analytics read models. It folds the
// analytics outbox into the counters every few seconds and rebuilds everything on request.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const ANALYTICS_ROLLER_WORKFLOW = 'analyticsRoller';
/** Per deployment (task queue prefix): one roller per database. */
export const analyticsRollerWorkflowId = (taskQueuePrefix: string) => `${taskQueuePrefix}analytics-roller`;

export interface AnalyticsRollerInput {
  /** Pause between rounds when the outbox was empty. */
  intervalMs: number;
  /** Carried across continue-as-new. */
  rebuilds?: number;
  folded?: number;
  rebuildPending?: boolean;
}

export interface AnalyticsRollerState {
  rebuilds: number;
  folded: number;
  rebuildPending: boolean;
}

/** Ask for a rebuild from the raw collections (reconcile); done when `rebuilds` increases. */
export const rebuildAnalyticsSignal = defineSignal('rebuildAnalytics');
export const analyticsRollerStateQuery = defineQuery<AnalyticsRollerState>('analyticsRollerState');
