// Contract of the partner-KYC workflows (seed 003): one verification workflow per user and
// document, and one hold per step-up transaction. Pure types and message definitions: safe inside
// the workflow sandbox. Payloads carry ids only — the user's fields live sealed in the
// partnerKycSubmissions record — so no PII and no images reach workflow history.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import { defineFailures, failure } from '../failures/define-failures';
import type { KycTier } from '../partner-kyc/types';

export const PARTNER_KYC_WORKFLOW = 'partnerKyc';
/** Per user AND document: two submits of one document meet in one workflow and queue, never race. */
export const partnerKycWorkflowId = (userId: string, documentId: string) => `partner-kyc-${userId}-${documentId}`;

export interface PartnerKycInput {
  userId: string;
  tenantId: string;
  documentId: string;
  /** How long to wait for another submission of this document before completing. */
  idleMinutes: number;
}

export const submitDocumentSignal = defineSignal<[{ submissionId: string }]>('submitDocument');

/** kycStatus values of the status response. */
export const PARTNER_KYC_STATUSES = ['not_submitted', 'pending', 'approved', 'rejected'] as const;
export type PartnerKycStatus = (typeof PARTNER_KYC_STATUSES)[number];

export interface CheckOutcome {
  decision: 'approved' | 'rejected';
  /** kycStatusDescription, e.g. "Exact Match", "Partial Match", "Document Verified", "No Match". */
  description: string;
  /** The provider's result code (never names, dates or numbers). */
  resultCode: string;
}

export interface PartnerKycState {
  checked: number;
  queued: number;
  last: CheckOutcome | null;
}
export const partnerKycStateQuery = defineQuery<PartnerKycState>('partnerKycState');

export interface PartnerKycResult {
  checked: number;
  last: CheckOutcome | null;
}

export interface BeginCheck {
  documentType: 'basic' | 'advanced';
}

export interface RecordedOutcome {
  passedTier: KycTier;
  /** The user's transactions waiting for a step-up: their hold workflows get the new tier. */
  heldTransactionIds: string[];
}

/** Activities on the onboarding worker (database). */
export interface PartnerKycActivities {
  beginPartnerKycCheck(input: { submissionId: string }): Promise<BeginCheck>;
  recordPartnerKycOutcome(input: { submissionId: string; outcome: CheckOutcome }): Promise<RecordedOutcome>;
  currentPartnerTier(input: { userId: string }): Promise<KycTier>;
  settleHeldTransaction(input: { transactionId: string; outcome: 'released' | 'declined' }): Promise<void>;
}

/** Activities on the kyc worker (providers). */
export interface PartnerKycProviderActivities {
  /** Smile ID Enhanced KYC lookup + the project's matching rules. */
  verifyBasicDocument(input: { submissionId: string }): Promise<CheckOutcome>;
  /** Smile ID document verification: uploads the sealed images, answers the provider's job id. */
  submitDocumentJob(input: { submissionId: string }): Promise<{ jobId: string }>;
  /** The job's signed result; throws the retryable `DocumentJobPending` until it is complete. */
  documentJobResult(input: { submissionId: string; jobId: string }): Promise<CheckOutcome>;
}

export const TRANSACTION_HOLD_WORKFLOW = 'transactionHold';
export const transactionHoldWorkflowId = (transactionId: string) => `transaction-hold-${transactionId}`;

export interface TransactionHoldInput {
  transactionId: string;
  userId: string;
  requiredTier: KycTier;
  /** ISO time: declined if the tier has not passed by then. */
  deadline: string;
}
export interface TransactionHoldResult {
  outcome: 'released' | 'declined';
}
export const tierPassedSignal = defineSignal<[{ tier: KycTier }]>('tierPassed');

// Operator commands on a partner-KYC check (the `partner_kyc_rejected` / `partner_kyc_pending` /
// `partner_kyc_review` cases, docs/operations.md). Updates on the check's run: its handlers and
// validators add no command until one is sent, so histories recorded before them replay unchanged.

/** What an operator said about a check, kept on the user as `kyc.partner.review` (null once a new check begins). */
export const PARTNER_KYC_REVIEWS = ['approved', 'rejection_confirmed', 'cancelled', 'manual_review'] as const;
export type PartnerKycReview = (typeof PARTNER_KYC_REVIEWS)[number];

interface OperatorCommand {
  actor: string;
  reason: string | null;
}

/**
 * approve: a manual override of the provider's rejection (or a manual review's "yes"): the check is
 * recorded approved and the tier passes. reject: the rejection is confirmed (or a manual review's "no").
 * `submissionId`: the rejected check (a run that completed meanwhile is started again for it).
 */
export interface DecidePartnerKycCommand extends OperatorCommand {
  decision: 'approve' | 'reject';
  submissionId: string;
}
export const decidePartnerKycUpdate = defineUpdate<{ kycStatus: PartnerKycStatus }, [DecidePartnerKycCommand]>(
  'decidePartnerKyc',
);

/**
 * The provider step again. `expect: 'rejected'`: a rejected check is checked again (no check may be
 * running); `expect: 'pending'`: the running check is interrupted and starts over now (its backoff
 * ends). Answers once the new check has begun.
 */
export interface RetryPartnerKycCommand extends OperatorCommand {
  expect: 'rejected' | 'pending';
  submissionId: string;
}
export const retryPartnerKycUpdate = defineUpdate<
  { kycStatus: PartnerKycStatus; checks: number },
  [RetryPartnerKycCommand]
>('retryPartnerKyc');

/** A pending check stops waiting for the provider: a person decides it (decidePartnerKyc). */
export const movePartnerKycToManualReviewUpdate = defineUpdate<{ kycStatus: PartnerKycStatus }, [OperatorCommand]>(
  'movePartnerKycToManualReview',
);

/** A pending check (or one in manual review) ends without a decision: recorded rejected as `Cancelled`. */
export const cancelPartnerKycUpdate = defineUpdate<{ kycStatus: PartnerKycStatus }, [OperatorCommand]>(
  'cancelPartnerKyc',
);

export const PartnerKycCommandFailures = defineFailures({
  /** A check is running (or in manual review): the rejection an operator saw has moved on. */
  CHECK_IN_PROGRESS: failure(),
  /** No check is running (it ended, or is in manual review): nothing pending to retry, review or cancel. */
  NOT_PENDING: failure(),
  /** A decision outside manual review of a check that is not rejected-and-idle. */
  NOT_IN_REVIEW: failure(),
  /** The command is malformed. */
  VALIDATION_ERROR: failure(),
});

/** Activities on the onboarding worker for operator commands (activities/cases/partner-kyc-case-activities.ts). */
export interface PartnerKycCaseActivities {
  /**
   * Audits an operator's word on a check (actor, reason) and then keeps it on the user as
   * `kyc.partner.review` (audit first, like every decision here). `at` makes the audit id.
   */
  recordPartnerKycReview(input: {
    submissionId: string;
    review: PartnerKycReview;
    actor: string;
    reason: string | null;
    at: number;
  }): Promise<void>;
}
