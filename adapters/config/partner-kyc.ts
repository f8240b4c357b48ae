import { z } from 'zod';

import { envPositiveInt } from './schema';

/** Partner KYC (seed 003): request size for image submissions and the step-up hold deadline. */
export const partnerKycSchema = z.object({
  /** JSON body limit of POST /api/user/kyc/submit only (advanced documents carry base64 images). */
  PARTNER_KYC_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 20mb')
    .default('20mb'),
  /** POST /api/user/kyc/submit per API client per RATE_LIMIT_WINDOW_SECONDS (each one is a provider call). */
  RATE_LIMIT_PARTNER_KYC_SUBMITS_PER_CLIENT: envPositiveInt.default(300),
  /** A transaction held for a step-up is declined when the user has not passed the tier within this many hours. */
  PARTNER_KYC_HOLD_HOURS: envPositiveInt.max(24 * 30).default(72),
  /** How long a partner-KYC workflow waits for another submission of the same document before it completes. */
  PARTNER_KYC_IDLE_MINUTES: envPositiveInt.max(24 * 60).default(30),
});
