// Contract of the daily sweep that digests overdue/stuck verification requests to each
// tenant's compliance officers. Started only by its Temporal Schedule.
import type { NotificationRequest } from './notify.contract';

export const VERIFICATION_SWEEP_WORKFLOW = 'verificationSweep';
/** Per deployment (task queue prefix), so parallel deployments/tests never share a schedule. */
export const verificationSweepScheduleId = (taskQueuePrefix: string) => `${taskQueuePrefix}verification-sweep`;

export interface TenantDigest {
  tenantId: string;
  officerIds: string[];
  overdue: number;
  stuck: number;
  /** A few request ids to click through (never PII). */
  sampleRequestIds: string[];
}

export interface VerificationSweepResult {
  tenants: number;
  notifications: number;
}

/** Since `patched('digests-by-batch')`, the pass's digests are one notify batch, also its id in the result. */
export interface VerificationSweepBatchResult extends VerificationSweepResult {
  batchId: string;
}

/**
 * The batch of one sweep pass: derived from the pass's workflow id (the Schedule gives each pass its
 * own), so a retried activity or a replayed run finds the same batch and the same stored pages.
 */
export const verificationDigestBatchId = (sweepWorkflowId: string) => `digests-${sweepWorkflowId}`;

/** The message id of one officer's digest: the same on the batch path as on the per-message one. */
export const verificationDigestNotificationId = (sweepWorkflowId: string, tenantId: string, officerId: string) =>
  `${sweepWorkflowId}.${tenantId}.${officerId}`;

/** One email per compliance officer of each tenant's digest (content as it always was). */
export function verificationDigestRequests(sweepWorkflowId: string, digests: TenantDigest[]): NotificationRequest[] {
  return digests.flatMap((d) =>
    d.officerIds.map((officerId) => ({
      notificationId: verificationDigestNotificationId(sweepWorkflowId, d.tenantId, officerId),
      userId: officerId,
      event: 'compliance_digest' as const,
      data: { overdue: String(d.overdue), stuck: String(d.stuck), sampleRequestIds: d.sampleRequestIds.join(',') },
      channels: ['email' as const],
    })),
  );
}

/** The activity that stores a pass's digests as a notify batch; the workflow then starts the batch. */
export interface StoreDigestBatchInput {
  at: string;
  sweepWorkflowId: string;
}
export interface StoreDigestBatchResult extends VerificationSweepBatchResult {
  /** Stored pages (`notificationBatchPages`); 0 when no tenant has anything to report. */
  pages: number;
}
