import { z } from 'zod';
import { envBoolean } from './schema';
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
   * Local development only: the dev server's Web UI has no login to forward, so `npm start` sets
   * this and the UI can decode. Refused in production (see the config refinement).
   */
  CODEC_ALLOW_ANONYMOUS: envBoolean.default(false),
});
