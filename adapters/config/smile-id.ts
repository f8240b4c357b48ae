import { z } from 'zod';

import { envUrl } from './schema';

/** Smile ID Enhanced KYC (BVN/NIN lookups), called by the kyc worker. */
export const smileIdSchema = z.object({
  /** Smile ID Enhanced KYC; unset base URL = the sandbox (SANDBOX_URL). */
  SMILE_ID_BASE_URL: envUrl.optional(),
  SMILE_ID_PARTNER_ID: z.string().min(1).default('sandbox-partner'),
  /** Secret: signs requests (base64 HMAC-SHA256 of timestamp + partner_id + "sid_request"). */
  SMILE_ID_API_KEY: z.string().min(16, 'must be at least 16 characters'),
});
