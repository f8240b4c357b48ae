// Contract of the partner-KYC workflows (seed 003): one verification workflow per user and
// document, and one hold per step-up transaction. Pure types and message definitions: safe inside
// the workflow sandbox. Payloads carry ids only — the user's fields live sealed in the
// partnerKycSubmissions record — so no PII and no images reach workflow history.
import { defineQuery, defineSignal } from '@temporalio/workflow';

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
