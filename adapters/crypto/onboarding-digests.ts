import { createHmac } from 'node:crypto';

import type { Config } from '../config';

// Keyed digests for onboarding, each under its own subkey derived from the active PII key, so
// an offline guess of a code, an email or a password against Temporal history is useless.
type Keys = Pick<Config, 'PII_ENCRYPTION_KEYS'>;

function subkey(config: Keys, purpose: string): Buffer {
  const { activeKid, keys } = config.PII_ENCRYPTION_KEYS;
  return createHmac('sha256', keys.get(activeKid)!).update(`onboarding:${purpose}`).digest();
}

const hmacHex = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest('hex');

/** Confirmation codes are kept only as this digest, bound to the user. */
export function confirmationCodeDigest(config: Keys, userId: string, code: string): string {
  return hmacHex(subkey(config, 'code'), `${userId}:${code}`);
}

/**
 * The 6-digit code of one confirmation email, derived from the email's notification id under its
 * own subkey. Both sides compute it and nothing stores or carries it: the onboarding workflow's
 * local activity returns only its digest (`confirmationCodeDigest`), and the notifications worker
 * computes the code itself when it renders the email (activities/notifications/send-time-data.ts),
 * so the code never enters a workflow history (issue 22). Knowing the key, anyone could compute it
 * from a history's notification id; the same key reverses the digest of a 20-bit code anyway, so
 * this adds no exposure. A key rotation between the digest and the send voids that one code (as a
 * rotation voids every code in flight: the API digests the typed code under the active key).
 */
export function confirmationCodeFor(config: Keys, userId: string, notificationId: string): string {
  const h = createHmac('sha256', subkey(config, 'code-of-notification')).update(`${userId}:${notificationId}`).digest();
  return String(h.readUIntBE(0, 6) % 1_000_000).padStart(6, '0');
}

/**
 * The user id a registration gets, from its normalised email: a retried request reaches the same
 * workflow (so never a second user or workflow), yet the id reveals nothing about the email.
 */
export function registrationUserId(config: Keys, email: string): string {
  const h = hmacHex(subkey(config, 'user-id'), email.trim().toLowerCase());
  // Shaped as an RFC 4122 variant UUID (version 8, "custom"), like every other _id.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Fingerprint of a registration request: equal only for a retry of the very same request. */
export function registrationFingerprint(config: Keys, body: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(body)
      .sort()
      .map((k) => [k, body[k]]),
  );
  return hmacHex(subkey(config, 'fingerprint'), canonical);
}
