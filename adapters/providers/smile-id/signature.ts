import { createHmac, timingSafeEqual } from 'node:crypto';

import { SMILE_HEADERS } from './wire';

/**
 * Smile ID signs both ways with the same scheme: base64(HMAC-SHA256(api_key, timestamp +
 * partner_id + "sid_request")). Our requests carry it (body or headers), its results and callbacks
 * carry it back, which we check before believing a result.
 */
export function smileSignature(apiKey: string, partnerId: string, timestamp: string): string {
  return createHmac('sha256', apiKey)
    .update(timestamp + partnerId + 'sid_request')
    .digest('base64');
}

export function verifySmileSignature(
  creds: { apiKey: string; partnerId: string },
  timestamp: string,
  signature: string,
): boolean {
  const expected = Buffer.from(smileSignature(creds.apiKey, creds.partnerId, timestamp));
  const given = Buffer.from(signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The v3 request headers (partner id, signature, timestamp). */
export function smileRequestHeaders(
  creds: { apiKey: string; partnerId: string },
  timestamp = new Date().toISOString(),
): Record<string, string> {
  return {
    [SMILE_HEADERS.partnerId]: creds.partnerId,
    [SMILE_HEADERS.signature]: smileSignature(creds.apiKey, creds.partnerId, timestamp),
    [SMILE_HEADERS.timestamp]: timestamp,
  };
}
