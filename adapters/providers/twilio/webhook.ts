import { isValidTwilioSignature } from './signature';
import { TWILIO_DELIVERY_STATUS, type TwilioStatusCallbackParams } from './wire';

export interface TwilioStatusEvent {
  status: 'sent' | 'delivered' | 'failed';
  /** Twilio's own word (MessageStatus). */
  providerStatus: string;
  messageSid: string | undefined;
  /** Twilio's error code when the message failed. */
  errorCode: string | undefined;
}

export type TwilioStatusResult =
  { ok: true; event: TwilioStatusEvent } | { ok: false; reason: 'INVALID_SIGNATURE' | 'MISSING_STATUS' };

/**
 * A status callback (form-encoded raw body) → a verified delivery status, or why not. Twilio signs
 * the exact URL it was given, so `url` is ours as configured for the public plus the request path.
 */
export function parseTwilioStatusCallback(opts: {
  rawBody: Buffer;
  url: string;
  signature: string | undefined;
  authToken: string;
}): TwilioStatusResult {
  const form: TwilioStatusCallbackParams & Record<string, string> = Object.fromEntries(
    new URLSearchParams(opts.rawBody.toString('utf8')),
  );
  if (!isValidTwilioSignature(opts.authToken, opts.signature, opts.url, form))
    return { ok: false, reason: 'INVALID_SIGNATURE' };
  const providerStatus = form.MessageStatus ?? form.SmsStatus;
  if (!providerStatus) return { ok: false, reason: 'MISSING_STATUS' };
  const status = Object.hasOwn(TWILIO_DELIVERY_STATUS, providerStatus)
    ? TWILIO_DELIVERY_STATUS[providerStatus]
    : 'sent';
  return { ok: true, event: { status, providerStatus, messageSid: form.MessageSid, errorCode: form.ErrorCode } };
}
