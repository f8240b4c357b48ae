import { defineFailures, failure } from './define-failures';

/**
 * Failures any activity may throw. Non-retryable ones end the activity at once; the others are
 * retried by the activity profile (workflows/activity-profiles.ts) until it gives up.
 */
export const ActivityFailures = defineFailures({
  /** The record the activity works on does not exist (retrying will not create it). */
  NOT_FOUND: failure(),
  /** The input cannot be processed as given (e.g. a template's data does not fit). */
  VALIDATION_ERROR: failure(),
  /** The provider refused for good (4xx, bad credentials, no address). `details[0]` names the provider or reason code. */
  PERMANENT_PROVIDER_ERROR: failure<unknown>(),
  /** The provider is down or answered 5xx: retried with backoff. */
  PROVIDER_UNAVAILABLE: failure(false),
  /** An earlier send may have reached the provider; retried until its callback lands. */
  AWAITING_CONFIRMATION: failure(false),
  /** Another attempt holds the delivery; retried. */
  CONCURRENT_ATTEMPT: failure(false),
  /** A Smile ID document job is not complete yet (or under review): polled again by the retry policy. */
  DOCUMENT_JOB_PENDING: failure(false),
});
