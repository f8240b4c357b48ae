import { createHmac, timingSafeEqual } from 'node:crypto';

// Veriff signs requests and webhooks alike: X-HMAC-SIGNATURE = hex HMAC-SHA256(shared secret, body).
export function veriffSignature(secret: string, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export function isValidVeriffSignature(secret: string, payload: Buffer, header: string | undefined): boolean {
  if (!header || !/^[0-9a-f]{64}$/i.test(header)) return false;
  return timingSafeEqual(Buffer.from(veriffSignature(secret, payload), 'hex'), Buffer.from(header, 'hex'));
}
