import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

// Contract of the onboarding workflow, shared by the workflow, the API and the webhooks.
// Pure types and message definitions: safe inside the workflow sandbox.
export const ONBOARDING_WORKFLOW = 'onboarding';
/** Business key: the user id (a UUID, never PII). */
export const onboardingWorkflowId = (userId: string) => `onboarding-${userId}`;

export const ONBOARDING_STEPS = [
  'registering',
  'awaiting_confirmation',
  'awaiting_kyc_session',
  'awaiting_kyc_submission',
  'awaiting_kyc_decision',
  'awaiting_bridge_link',
  'awaiting_bridge_approval',
  'active',
  'rejected',
  'abandoned',
  'registration_failed',
  'closed_by_admin',
] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];
export type OnboardingOutcome = 'active' | 'rejected' | 'abandoned' | 'registration_failed' | 'closed_by_admin';

/** Timing and limits, from config at registration time (so a run's rules never change under it). */
export interface OnboardingPolicy {
  codeTtlMs: number;
  codeMaxAttempts: number;
  codeMaxResends: number;
  resendCooldownMs: number;
  confirmReminderAfterMs: number;
  confirmAbandonAfterMs: number;
  veriffMaxResubmissions: number;
  /** Reminder and end of every KYC wait, from the step's start. */
  kycStepReminderAfterMs: number;
  kycStepAbandonAfterMs: number;
}

/** What the person typed at registration (the password only as its argon2id hash). */
export interface RegistrationDetails {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  country?: string | null;
  org?: { name: string } | { id: string } | null;
}

/**
 * The workflow input carries no PII and no password hash in clear: the registration details travel
 * sealed (`sealedRegistration`), and only the first activity opens them. Runs started before that
 * read them from `pendingRegistrations` (adapters/models/pending-registration.ts) by `requestFingerprint`.
 */
export interface OnboardingInput {
  userId: string;
  /** Keyed digest of the registration request: a retry of the same request matches it. */
  requestFingerprint: string;
  /**
   * The registration details sealed with the PII field cipher (adapters/identity/sealed-registration.ts):
   * opaque to the workflow, opened only by its first activity. Absent in runs started before it
   * existed (their details wait in `pendingRegistrations`) and in reopened runs.
   */
  sealedRegistration?: string;
  /**
   * A rejected account reopened by an audited staff decision (PUT /users/{id}/status, rejected →
   * not_verified): the run starts at the KYC session step, with a fresh Veriff resubmission
   * allowance, for the existing, confirmed user (docs/onboarding.md, "Registering again").
   */
  reopened?: true;
  policy: OnboardingPolicy;
}

// Updates reject with the failures of domain/failures/onboarding-failures.ts.

/** Why a registration cannot have the address (docs/onboarding.md, "Registering again"). */
export type RegistrationRefusal = 'EMAIL_TAKEN' | 'ACCOUNT_REJECTED' | 'ORG_NOT_FOUND';

export interface RegisterResult {
  userId: string;
  tenantId: string | null;
  status: 'not_verified';
}

export interface KycSessionResult {
  sessionId: string;
  url: string;
}

export interface BridgeLinkResult {
  kycLinkId: string;
  kycLink: string;
  tosLink: string;
  customerId: string;
}

/** Every status a Veriff event or decision may carry: the webhook accepts exactly these. */
export const VERIFF_STATUSES = [
  'started',
  'submitted',
  'approved',
  'declined',
  'resubmission_requested',
  'expired',
  'abandoned',
  'review',
] as const;

/** A Veriff webhook, normalised by the API after its signature was checked. */
export interface VeriffEventSignal {
  eventKey: string;
  sessionId: string;
  kind: 'event' | 'decision';
  /** `started` / `submitted` for events; the decision status for decisions. */
  status: (typeof VERIFF_STATUSES)[number];
  code: number | null;
  reason: string | null;
}

/** A Bridge webhook about the user's KYC link or customer, normalised by the API. */
export interface BridgeEventSignal {
  eventId: string;
  /** Provider time of the event (ms): older news never overwrites newer. */
  createdAtMs: number;
  kycStatus: string | null;
  tosStatus: string | null;
  rejectionReasons: string[];
}

export interface OnboardingState {
  userId: string;
  tenantId: string | null;
  step: OnboardingStep;
  outcome: OnboardingOutcome | null;
  email: {
    confirmedAt: string | null;
    codeExpiresAt: string | null;
    attemptsLeft: number;
    resendsLeft: number;
  };
  veriff: {
    sessionId: string | null;
    url: string | null;
    status: string | null;
    resubmissions: number;
    reason: string | null;
    updatedAt: string | null;
  };
  bridge: {
    required: boolean | null;
    kycLinkId: string | null;
    customerId: string | null;
    kycStatus: string | null;
    tosStatus: string | null;
    rejectionReasons: string[];
    updatedAt: string | null;
  };
  kycLevel: 'none' | 'basic' | 'advanced';
  rejectionReason: string | null;
  timestamps: {
    registeredAt: string;
    confirmedAt: string | null;
    kycApprovedAt: string | null;
    activatedAt: string | null;
    closedAt: string | null;
  };
  nextReminderAt: string | null;
}

/** `sealedRegistration`: the request's details, sealed as in OnboardingInput (absent from older callers). */
export const registerUpdate = defineUpdate<
  RegisterResult,
  [{ requestFingerprint: string; sealedRegistration?: string }]
>('register');
/** `codeDigest` is the keyed digest of the code the user typed (the API computes it). */
export const confirmEmailUpdate = defineUpdate<{ confirmedAt: string }, [{ codeDigest: string }]>('confirmEmail');
export const resendCodeUpdate = defineUpdate<{ codeExpiresAt: string; resendsLeft: number }, []>('resendCode');
export const createKycSessionUpdate = defineUpdate<KycSessionResult, []>('createKycSession');
export const createBridgeLinkUpdate = defineUpdate<BridgeLinkResult, [{ idempotencyKey: string }]>('createBridgeLink');
/** An operator's extension of the current wait's end (the abandonment), at most this much per call. */
export const MAX_STEP_EXTENSION_HOURS = 14 * 24;
export interface ExtendStepDeadlineRequest {
  /** The step the operator saw: another step is WRONG_STEP (the onboarding moved on). */
  step: OnboardingStep;
  hours: number;
  actor: string;
  reason: string;
}
/** Moves the current wait's end later by `hours`; the waiting timer re-arms. Answers the new end. */
export const extendStepDeadlineUpdate = defineUpdate<
  { step: OnboardingStep; endsAt: string; extendedHours: number },
  [ExtendStepDeadlineRequest]
>('extendStepDeadline');
/**
 * An operator puts the identity check into manual review (from awaiting_kyc_submission, e.g. instead
 * of another resubmission): the run applies it as Veriff's own `review`, so the kyc_review flow follows.
 */
export const moveToManualReviewUpdate = defineUpdate<
  { step: OnboardingStep; kycStatus: string },
  [{ actor: string; reason: string }]
>('moveToManualReview');
/** An operator's request on the step the case showed (`step`: another one is WRONG_STEP, the onboarding moved on). */
export interface OperatorStepRequest {
  step: OnboardingStep;
  actor: string;
  reason: string | null;
}
/**
 * The current KYC step's reminder now (cases' `resend` on onboarding_overdue), under its own
 * notification id `<run>.operator-reminder.<step>.<entry>.<n>`; the planned reminder and end stay.
 */
export const sendStepReminderNowUpdate = defineUpdate<
  { step: OnboardingStep; notificationId: string },
  [OperatorStepRequest]
>('sendStepReminderNow');
/**
 * An operator abandons the onboarding waiting in `step` (cases' `cancel` on onboarding_overdue): the
 * wait ends as its deadline would have ended it (outcome `abandoned`). Answers once the run has ended.
 */
export const abandonOnboardingUpdate = defineUpdate<
  { step: OnboardingStep; outcome: OnboardingOutcome },
  [OperatorStepRequest & { reason: string }]
>('abandonOnboarding');
export const veriffEventSignal = defineSignal<[VeriffEventSignal]>('veriffEvent');
export const bridgeEventSignal = defineSignal<[BridgeEventSignal]>('bridgeEvent');
export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');
