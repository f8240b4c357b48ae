import twilio from 'twilio';

// X-Twilio-Signature = base64 HMAC-SHA1(auth token, full URL + POST params sorted by name, each key
// then value). The SDK's own implementation, so both sides agree with Twilio byte for byte.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  return Boolean(signature) && twilio.validateRequest(authToken, signature!, url, params);
}
