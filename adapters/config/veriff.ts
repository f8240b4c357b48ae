import { z } from 'zod';

import { envUrl } from './schema';

/** Veriff (identity sessions): the kyc worker calls it; the API verifies its webhooks. */
export const veriffSchema = z.object({
  /** Unset = the sandbox (`${SANDBOX_URL}/veriff`), like every provider base URL. */
  VERIFF_BASE_URL: envUrl.optional(),
  VERIFF_API_KEY: z.string().min(8),
  VERIFF_SHARED_SECRET: z.string().min(16),
});
