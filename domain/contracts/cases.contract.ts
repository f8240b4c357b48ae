import { defineQuery, defineSignal } from '@temporalio/workflow';

// Contract of the cases read model and its sweep workflow (docs/operations.md). Pure types and
// message definitions: safe inside the workflow sandbox.

export const CASE_SWEEP_WORKFLOW = 'caseSweep';
/** One sweep per deployment (fixed id, like the analytics roller). */
export const caseSweepWorkflowId = (taskQueuePrefix: string) => `${taskQueuePrefix}case-sweep`;

/** What needs a person. Each kind is found by one indexed query over its source (adapters/cases/case-sources.ts). */
export const CASE_KINDS = [
  'kyc_review',
  'kyc_resubmission',
  'verification_failed',
  'verification_overdue',
  'verification_stuck',
  'webhook_unroutable',
  'webhook_pending',
  'notification_failed',
  'kyc_late_decision',
  'transaction_hold_expiring',
  // Found in Temporal's visibility store, not the database (adapters/cases/visibility-sources.ts).
  'onboarding_overdue',
  'workflow_task_failing',
  'partner_kyc_rejected',
  'partner_kyc_pending',
  'partner_kyc_review',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_ACTIONS = [
  'approve',
  'reject',
  'retry',
  'extend',
  'cancel',
  'extend_deadline',
  'move_to_manual_review',
  'redrive',
  'resend',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** The actions each kind offers (the owning workflow carries each one out). */
export const ACTIONS_BY_KIND: Record<CaseKind, readonly CaseAction[]> = {
  kyc_review: ['approve', 'reject'],
  // extend_deadline: the onboarding's wait for the resubmission ends later (extendStepDeadline update);
  // move_to_manual_review: a person decides instead of another resubmission (a kyc_review case follows).
  kyc_resubmission: ['reject', 'extend_deadline', 'move_to_manual_review'],
  // resend: the next reminder now (the request's sendReminderNow update), the ladder unchanged.
  verification_failed: ['retry', 'extend', 'cancel', 'resend'],
  verification_overdue: ['extend', 'cancel'],
  verification_stuck: ['cancel'],
  webhook_unroutable: ['redrive'],
  webhook_pending: ['redrive'],
  notification_failed: [],
  // A late Veriff decision against the status: approve/reject go through the status path; dismiss keeps it.
  kyc_late_decision: ['approve', 'reject'],
  // A step-up hold near its deadline: approve releases the transaction now, reject declines it now
  // (the hold's decideHold update). No extension: the deadline lives in the run's input only.
  transaction_hold_expiring: ['approve', 'reject'],
  // An onboarding waiting in one step past its reminder: resend (the code on email confirmation, else
  // the step's reminder), extend_deadline (extendStepDeadline), cancel (abandonOnboarding).
  onboarding_overdue: ['resend', 'extend_deadline', 'cancel'],
  // A run whose workflow tasks fail: its fix is a deploy or a reset, not a product action. Dismiss
  // only (DISMISSIBLE below); the case closes itself when the tasks succeed.
  workflow_task_failing: [],
  // Partner KYC (use-cases/cases/partner-kyc-actions.ts), each through the check's run (decidePartnerKyc,
  // retryPartnerKyc, movePartnerKycToManualReview, cancelPartnerKyc updates). approve on a rejected
  // check is a manual override: a reversal of a rejection, so the tenant's four-eyes rule applies.
  partner_kyc_rejected: ['approve', 'reject', 'retry'],
  partner_kyc_pending: ['retry', 'move_to_manual_review', 'cancel'],
  // A pending check an operator moved to manual review: a person decides it.
  partner_kyc_review: ['approve', 'reject', 'cancel'],
};

/**
 * Kinds an operator may dismiss, with a reason: those with no workflow action, and a late Veriff
 * decision the operator reads as no reason to change the status (keeping it is a decision too).
 */
export const DISMISSIBLE: readonly CaseKind[] = [
  'webhook_unroutable',
  'webhook_pending',
  'notification_failed',
  'kyc_late_decision',
  'workflow_task_failing',
];

/** What an open case of `kind` offers: its workflow actions, and `dismiss` where the kind allows it. */
export const actionsFor = (kind: CaseKind): (CaseAction | 'dismiss')[] => [
  ...ACTIONS_BY_KIND[kind],
  ...(DISMISSIBLE.includes(kind) ? (['dismiss'] as const) : []),
];

export const AGE_BUCKETS = ['<1h', '1h-24h', '1d-7d', '>7d'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export interface CaseSweepInput {
  intervalMs: number;
  /** Carried over continue-as-new. */
  passes?: number;
}

export interface CaseSweepPassResult {
  opened: number;
  resolved: number;
  open: number;
}

export interface CaseSweepState {
  passes: number;
  lastPass: CaseSweepPassResult | null;
  lastPassAt: string | null;
}

/** Sweep now instead of at the end of the pause (ops, tests, after a bulk change). */
export const sweepCasesNowSignal = defineSignal('sweepCasesNow');
export const caseSweepStateQuery = defineQuery<CaseSweepState>('caseSweepState');
