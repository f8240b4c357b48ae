import { z } from 'zod';

import { keyring } from './security';

/** Temporal payload encryption and the codec endpoint operators decode through. */
export const codecSchema = z.object({
  /**
   * AES-256-GCM keys of the Temporal PayloadCodec, `kid:base64(32 bytes)[,…]`, first encrypts.
   * Unset = PII_ENCRYPTION_KEYS. Kept separate-able so codec-server operators need not hold the at-rest keys.
   */
  PAYLOAD_CODEC_KEYS: keyring(32).optional(),
  /** Origins (comma-separated) allowed to call /codec/* from a browser: the Temporal Web UI. */
  CODEC_CORS_ORIGINS: z.string().default('http://localhost:8233,http://127.0.0.1:8233'),
  /**
   * Secret path segment for a Temporal UI that cannot send credentials (the dev server's UI only
   * takes an endpoint URL): `/codec/ui/<key>/decode` answers without a token. `npm start`
   * generates one per stack; unset = that path is a 404. Refused in production, where the UI
   * forwards the signed-in user's token (TEMPORAL_CODEC_PASS_ACCESS_TOKEN).
   */
  CODEC_UI_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .regex(/^[A-Za-z0-9_-]+$/, 'URL-safe characters only')
    .optional(),
});
