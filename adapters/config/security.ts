import { z } from 'zod';

import { parseKeyring } from '../crypto/keyring';

export const keyring = (minBytes: number) =>
  z.string().transform((value, ctx) => {
    try {
      return parseKeyring(value, minBytes);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  });

/**
 * Access-token signing (the API). Secrets have no defaults: `npm start` generates local ones into
 * .data/dev-secrets.json.
 */
export const jwtSchema = z.object({
  /** HMAC keys for access tokens (HS256), `kid:base64[,kid:base64]`, first one signs. */
  JWT_SIGNING_KEYS: keyring(32),
  JWT_ISSUER: z.string().min(1).default('kyc-orchestrator'),
  JWT_AUDIENCE: z.string().min(1).default('kyc-orchestrator-api'),
});

/** Field-level encryption of PII at rest (and, unless PAYLOAD_CODEC_KEYS is set, in Temporal payloads). */
export const piiSchema = z.object({
  /** AES-256-GCM keys for PII at rest and in Temporal payloads, `kid:base64(32 bytes)[,…]`. */
  PII_ENCRYPTION_KEYS: keyring(32),
});
