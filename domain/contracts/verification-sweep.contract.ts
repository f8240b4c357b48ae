// Contract of the daily sweep that digests overdue/stuck verification requests to each
// tenant's compliance officers. Started only by its Temporal Schedule.
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
