import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer secrets (refresh tokens, API client ids): 256 random bits, stored only as a
 * SHA-256 digest. A fast hash is right here, unlike passwords: the input has full entropy.
 */
export const newOpaqueToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');
