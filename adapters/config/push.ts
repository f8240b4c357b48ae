import { z } from 'zod';

import { envPositiveInt, envUrl } from './schema';

/** Push: the project's sandbox or Firebase Cloud Messaging, used by the notifications worker. */
export const pushSchema = z.object({
  /** `sandbox`: the project's push simulator; `fcm`: Firebase Cloud Messaging through firebase-admin. */
  PUSH_PROVIDER: z.enum(['sandbox', 'fcm']).default('sandbox'),
  PUSH_SANDBOX_URL: envUrl.optional(),
  FCM_PROJECT_ID: z.string().min(1).default('kyc-orchestrator-sandbox'),
  /** Path to a service-account JSON for `fcm` (else Application Default Credentials). */
  FCM_SERVICE_ACCOUNT_PATH: z.string().min(1).optional(),
  /** Push requests per second this worker sends to the project (a token bucket per FCM project; one per device). */
  PUSH_MAX_REQUESTS_PER_SECOND: envPositiveInt.default(300),
});
