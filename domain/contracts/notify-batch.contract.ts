// Contract of the notification batch workflow: one durable run per bulk message (a KYC status
// fan-out, a digest, any future campaign). Pure types and constants: safe inside the workflow sandbox.
import type { NotificationRequest } from './notify.contract';

export const NOTIFY_BATCH_WORKFLOW = 'notifyBatch';
export const notifyBatchWorkflowId = (batchId: string) => `notify-batch-${batchId}`;
/** The query ops run in the Temporal UI (Queries tab) to see a batch's progress. */
export const NOTIFY_BATCH_PROGRESS_QUERY = 'progress';

/** One recipient of a batch: a whole notification request (the recipients are stored, never in history). */
export type BatchRecipient = NotificationRequest;

export interface BatchTotals {
  /** Messages finished (sent or failed) in the pages done so far. */
  sent: number;
  failed: number;
}

export interface NotifyBatchInput {
  batchId: string;
  /** How many stored pages the batch has (`notificationBatchPages`, `<batchId>#<n>`). */
  pages: number;
  /** Where a continued run starts (continue-as-new carries it). */
  nextPage?: number;
  totals?: BatchTotals;
}

export interface BatchProgress extends BatchTotals {
  batchId: string;
  pages: number;
  pagesDone: number;
  status: 'running' | 'done';
}

/** A page activity's input and result; its heartbeat details are `{ done }`: messages finished in order. */
export interface BatchPageInput {
  batchId: string;
  page: number;
}
export type BatchPageResult = BatchTotals;
