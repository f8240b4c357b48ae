import { ActivityFailures } from './activity-failures';
import { OnboardingFailures } from './onboarding-failures';
import { TransactionHoldFailures } from './transaction-hold-failures';
import { VerificationRequestFailures } from './verification-request-failures';

export { ActivityFailures, OnboardingFailures, TransactionHoldFailures, VerificationRequestFailures };

/** Every failure type the system throws on purpose. The API's HTTP table must cover each one. */
export const FAILURE_CATALOGS = [
  ActivityFailures,
  OnboardingFailures,
  VerificationRequestFailures,
  TransactionHoldFailures,
] as const;

export type FailureType =
  | keyof typeof ActivityFailures.kinds
  | keyof typeof OnboardingFailures.kinds
  | keyof typeof VerificationRequestFailures.kinds
  | keyof typeof TransactionHoldFailures.kinds;

/** Activity retry policies never retry these (derived, so a new non-retryable type cannot be forgotten). */
export const NON_RETRYABLE_FAILURE_TYPES: string[] = [...ActivityFailures.nonRetryable];
