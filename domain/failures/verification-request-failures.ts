import { defineFailures, failure } from './define-failures';

/** What the verification-request workflow's submit update rejects with. */
export const VerificationRequestFailures = defineFailures({
  VERIFICATION_REQUEST_CLOSED: failure(),
  VERIFICATION_IN_PROGRESS: failure(),
  RESUBMISSION_LIMIT_REACHED: failure(),
});
