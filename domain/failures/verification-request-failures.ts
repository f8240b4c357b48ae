import { defineFailures, failure } from './define-failures';

/** What the verification-request workflow's submit update rejects with. */
export const VerificationRequestFailures = defineFailures({
  VerificationRequestClosed: failure(),
  VerificationInProgress: failure(),
  ResubmissionLimitReached: failure(),
});
