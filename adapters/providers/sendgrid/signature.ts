import { createPrivateKey, createPublicKey, createSign, createVerify, type KeyObject } from 'node:crypto';

// SendGrid's Signed Event Webhook: ECDSA P-256 / SHA-256 over timestamp + raw body, DER, base64.

/** The verification key as SendGrid shows it (base64 DER SPKI). */
export function sendGridPublicKey(base64Der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
}

export function signSendGridEvents(privateKeyBase64: string, timestamp: string, body: string): string {
  const key = createPrivateKey({ key: Buffer.from(privateKeyBase64, 'base64'), format: 'der', type: 'pkcs8' });
  return createSign('sha256')
    .update(timestamp + body)
    .sign(key)
    .toString('base64');
}

export function verifySendGridSignature(
  publicKey: KeyObject,
  signature: string,
  timestamp: string,
  rawBody: Buffer,
): boolean {
  try {
    return createVerify('sha256').update(timestamp).update(rawBody).verify(publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
