import { createSign, createVerify } from 'node:crypto';

// Bridge webhooks: `X-Webhook-Signature: t=<ms>,v0=<base64 RSA-SHA256 over "<t>.<raw body>">`.
export function signBridgeWebhook(privateKeyPem: string, body: string, timestampMs: number): string {
  const signature = createSign('sha256').update(`${timestampMs}.${body}`).sign(privateKeyPem, 'base64');
  return `t=${timestampMs},v0=${signature}`;
}

export type BridgeSignatureCheck =
  { ok: true; timestampMs: number } | { ok: false; reason: 'INVALID_SIGNATURE' | 'STALE_WEBHOOK' };

export function verifyBridgeWebhook(opts: {
  publicKeyPem: string;
  header: string | undefined;
  body: Buffer;
  nowMs: number;
  maxAgeMs: number;
}): BridgeSignatureCheck {
  const parts = Object.fromEntries(
    (opts.header ?? '').split(',').map((p) => p.trim().split(/=(.*)/s, 2) as [string, string]),
  );
  const timestampMs = Number(parts.t);
  if (!parts.v0 || !Number.isSafeInteger(timestampMs)) return { ok: false, reason: 'INVALID_SIGNATURE' };
  const verifier = createVerify('sha256').update(`${parts.t}.`).update(opts.body);
  let valid: boolean;
  try {
    valid = verifier.verify(opts.publicKeyPem, parts.v0, 'base64');
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'INVALID_SIGNATURE' };
  // Checked after the signature, so a forged timestamp cannot tell an attacker anything.
  if (Math.abs(opts.nowMs - timestampMs) > opts.maxAgeMs) return { ok: false, reason: 'STALE_WEBHOOK' };
  return { ok: true, timestampMs };
}
