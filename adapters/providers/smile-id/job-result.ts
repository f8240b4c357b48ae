import { verifySmileSignature } from './signature';
import { type DocumentJobStatus, SMILE_DOCUMENT_RESULT_CODES } from './wire';

/**
 * A document job's signed result (the status answer; Smile's callbacks carry the same signed shape)
 * → a typed verdict, or a refusal when the signature does not hold. Smile ID's counterpart of the
 * other providers' webhook parsers: nothing unsigned is believed.
 */
export type SmileJobResult =
  | { ok: true; state: 'pending'; why: 'incomplete' | 'under_review' }
  | { ok: true; state: 'verified'; resultCode: string }
  | { ok: true; state: 'not_verified'; resultCode: string; resultText: string }
  | { ok: false; reason: 'INVALID_SIGNATURE' };

export function parseSmileJobResult(
  creds: { apiKey: string; partnerId: string },
  status: DocumentJobStatus,
): SmileJobResult {
  if (!verifySmileSignature(creds, status.timestamp, status.signature))
    return { ok: false, reason: 'INVALID_SIGNATURE' };
  if (!status.job_complete || !status.result) return { ok: true, state: 'pending', why: 'incomplete' };
  const code = status.result.ResultCode;
  if (code === SMILE_DOCUMENT_RESULT_CODES.verified && status.job_success)
    return { ok: true, state: 'verified', resultCode: code };
  // Under review is not a verdict yet: the caller keeps asking.
  if (code === SMILE_DOCUMENT_RESULT_CODES.underReview) return { ok: true, state: 'pending', why: 'under_review' };
  return { ok: true, state: 'not_verified', resultCode: code, resultText: status.result.ResultText };
}
