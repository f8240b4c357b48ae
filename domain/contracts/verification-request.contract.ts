// Contract of the BVN/NIN verification request workflow, shared by the workflow, its activities
// and the API. Pure types and Temporal message definitions: safe inside the workflow sandbox.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { Channel } from './notify.contract';

export const VERIFICATION_REQUEST_WORKFLOW = 'verificationRequest';
export const verificationRequestWorkflowId = (requestId: string) => `verification-request-${requestId}`;

export const IDENTITY_NUMBER_TYPES = ['bvn', 'nin'] as const;
export type IdentityNumberType = (typeof IDENTITY_NUMBER_TYPES)[number];

export const VERIFICATION_STATUSES = [
  'created',
  'notified',
  'submitted',
  'verifying',
  'verified',
  'failed',
  'expired',
  'cancelled',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** The VerificationType search attribute value: `bvn`, `nin` or `bvn+nin`. */
export const verificationTypeKeyword = (types: readonly IdentityNumberType[]) =>
  IDENTITY_NUMBER_TYPES.filter((t) => types.includes(t)).join('+');

export interface VerificationRequestInput {
  requestId: string;
  userId: string;
  tenantId: string | null;
  types: IdentityNumberType[];
  /** ISO times; the ladder counts from createdAt, expiry is at dueAt. */
  createdAt: string;
  dueAt: string;
}

/** Numbers sealed with the field cipher (AAD = request id) by the API before they get here. */
export type SealedNumbers = Partial<Record<IdentityNumberType, { sealed: string; last3: string }>>;

export interface SubmitNumbersResult {
  attempt: number;
  status: VerificationStatus;
}

export interface CancelRequest {
  /** userId of the staff member, or `service:<name>`. */
  actor: string;
  reason?: string;
}

export interface VerificationState {
  status: VerificationStatus;
  attempts: number;
  remindersSent: number;
}

export interface VerificationResult {
  status: Extract<VerificationStatus, 'verified' | 'failed' | 'expired' | 'cancelled'>;
  attempts: number;
}

export const submitNumbersUpdate = defineUpdate<SubmitNumbersResult, [SealedNumbers]>('submitNumbers');
export const cancelVerificationSignal = defineSignal<[CancelRequest]>('cancelVerification');
export const verificationStateQuery = defineQuery<VerificationState>('verificationState');

/** Staff (a case action, docs/operations.md): who and why, carried to the record and the audit. */
export interface StaffCommand {
  actor: string;
  reason: string | null;
}
/**
 * Retry the provider step of a failed request now with the numbers last submitted (counts as a
 * submission). Rejects VERIFICATION_REQUEST_CLOSED, VERIFICATION_IN_PROGRESS, NOTHING_TO_RETRY.
 */
export const retryLookupUpdate = defineUpdate<SubmitNumbersResult, [StaffCommand]>('retryLookup');
/** Move the due date later (ISO time); the reminder ladder stays as planned. Rejects VERIFICATION_REQUEST_CLOSED, INVALID_DUE_DATE. */
export const extendDueAtUpdate = defineUpdate<{ dueAt: string }, [StaffCommand & { dueAt: string }]>('extendDueAt');

/**
 * Send the user a reminder now (a case's `resend`), on top of the planned ladder, which stays as
 * planned. Rejects VERIFICATION_REQUEST_CLOSED, VERIFICATION_IN_PROGRESS (a lookup is running).
 */
export const sendReminderNowUpdate = defineUpdate<{ notificationId: string; remindersSent: number }, [StaffCommand]>(
  'sendReminderNow',
);

// The submit update rejects with the failures of domain/failures/verification-request-failures.ts.

export interface ReminderStep {
  channel: Channel;
  afterMinutes: number;
}

/** Resolved per request from service defaults and the tenant's settings.verification. */
export interface VerificationPlan {
  timezone: string;
  /** Local wall-clock window with no reminders, e.g. { start: '21:00', end: '08:00' }. */
  quietHours: { start: string; end: string };
  ladder: ReminderStep[];
  maxSubmissions: number;
}

export type LookupOutcome = 'match' | 'partial' | 'no_match' | 'not_found' | 'invalid_number';

export interface LookupResult {
  outcome: LookupOutcome;
  /** One line per number looked up; never names, dates or numbers. */
  results: { type: IdentityNumberType; outcome: LookupOutcome; resultCode: string }[];
}

/** Failure codes the user can act on (stored on the record, sent in the notification). */
export const FAILURE_REASONS: Record<
  Exclude<LookupOutcome, 'match'> | 'provider_unavailable',
  { code: string; message: string }
> = {
  partial: {
    code: 'PARTIAL_MATCH',
    message:
      'Some of your details did not match the number. Check your name and date of birth on your profile, then submit again.',
  },
  no_match: { code: 'NO_MATCH', message: 'The number belongs to someone else. Check you entered your own number.' },
  not_found: { code: 'NUMBER_NOT_FOUND', message: 'The number was not found. Check it and submit again.' },
  invalid_number: {
    code: 'INVALID_NUMBER',
    message: 'The number is not in a valid format. Check it and submit again.',
  },
  provider_unavailable: {
    code: 'PROVIDER_UNAVAILABLE',
    message: 'The identity service is unavailable. Please submit again later.',
  },
};

export const TERMINAL_STATUSES: VerificationStatus[] = ['verified', 'expired', 'cancelled'];
