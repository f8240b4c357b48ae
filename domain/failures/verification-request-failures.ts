import { defineFailures, failure } from './define-failures';

/** What the verification-request workflow's updates (submit, and staff retry/extend) reject with. */
export const VerificationRequestFailures = defineFailures({
  VERIFICATION_REQUEST_CLOSED: failure(),
  VERIFICATION_IN_PROGRESS: failure(),
  RESUBMISSION_LIMIT_REACHED: failure(),
  // staff updates (case actions)
  NOTHING_TO_RETRY: failure(),
  INVALID_DUE_DATE: failure(),
});
