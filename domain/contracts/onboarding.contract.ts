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
}

export interface OnboardingInput {
  userId: string;
  email: string;
  /** argon2id hash: the password itself never enters Temporal. */
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  country?: string | null;
  org?: { name: string } | { id: string } | null;
  /** Keyed digest of the registration request: a retry of the same request matches it. */
  requestFingerprint: string;
  policy: OnboardingPolicy;
}

/** Domain failure types (ApplicationFailure.type) the API maps to HTTP answers. */
export const OnboardingErrors = {
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  ORG_NOT_FOUND: 'ORG_NOT_FOUND',
  INVALID_CODE: 'INVALID_CODE',
  CODE_EXPIRED: 'CODE_EXPIRED',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  RESEND_LIMIT: 'RESEND_LIMIT',
  ALREADY_CONFIRMED: 'ALREADY_CONFIRMED',
  WRONG_STEP: 'WRONG_STEP',
} as const;

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

/** A Veriff webhook, normalised by the API after its signature was checked. */
export interface VeriffEventSignal {
  eventKey: string;
  sessionId: string;
  kind: 'event' | 'decision';
  /** `started` / `submitted` for events; the decision status for decisions. */
  status: 'started' | 'submitted' | 'approved' | 'declined' | 'resubmission_requested' | 'expired' | 'abandoned' | 'review';
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

export interface AdminStatusChangedSignal {
  status: string;
  actor: string;
  reason: string | null;
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

export const registerUpdate = defineUpdate<RegisterResult, [{ requestFingerprint: string }]>('register');
/** `codeDigest` is the keyed digest of the code the user typed (the API computes it). */
export const confirmEmailUpdate = defineUpdate<{ confirmedAt: string }, [{ codeDigest: string }]>('confirmEmail');
export const resendCodeUpdate = defineUpdate<{ codeExpiresAt: string; resendsLeft: number }, []>('resendCode');
export const createKycSessionUpdate = defineUpdate<KycSessionResult, []>('createKycSession');
export const createBridgeLinkUpdate = defineUpdate<BridgeLinkResult, [{ idempotencyKey: string }]>('createBridgeLink');
export const veriffEventSignal = defineSignal<[VeriffEventSignal]>('veriffEvent');
export const bridgeEventSignal = defineSignal<[BridgeEventSignal]>('bridgeEvent');
/** Sent by the audited admin status endpoint after it changed the user's status. */
export const adminStatusChangedSignal = defineSignal<[AdminStatusChangedSignal]>('adminStatusChanged');
export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');
