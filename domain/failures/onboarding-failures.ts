import { defineFailures, failure } from './define-failures';

/** What the onboarding workflow's updates reject with (the API maps each to an HTTP answer). */
export const OnboardingFailures = defineFailures({
  EMAIL_TAKEN: failure(),
  /** The address belongs to a rejected account: registering again never reopens it (staff may). */
  ACCOUNT_REJECTED: failure(),
  ORG_NOT_FOUND: failure(),
  INVALID_CODE: failure<{ remainingAttempts: number | null }>(),
  CODE_EXPIRED: failure(),
  TOO_MANY_ATTEMPTS: failure(),
  RESEND_LIMIT: failure<{ retryAfterSeconds: number | null }>(),
  ALREADY_CONFIRMED: failure(),
  /** The onboarding is not at a step where this action makes sense. */
  WRONG_STEP: failure<{ step: string }>(),
  /** createBridgeLink without an idempotency key (the API always sends one; this guards other callers). */
  IDEMPOTENCY_KEY_REQUIRED: failure(),
});

export type OnboardingFailureType = keyof typeof OnboardingFailures.kinds;
