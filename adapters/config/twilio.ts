import { z } from 'zod';

import { envPositiveInt, envUrl } from './schema';

/** Twilio SMS: the notifications worker sends; the API verifies status callbacks (signed with the auth token). */
export const twilioSchema = z.object({
  TWILIO_BASE_URL: envUrl.optional(),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, 'expected AC + 32 hex characters')
    .default(`AC${'0'.repeat(32)}`),
  TWILIO_AUTH_TOKEN: z.string().min(16),
  TWILIO_FROM_NUMBER: z
    .string()
    .regex(/^\+[1-9][0-9]{6,14}$/, 'E.164 number')
    .default('+15005550006'),
  /**
   * Requests per second this worker sends to the Twilio account (a token bucket per account SID).
   * Twilio limits an account's concurrent requests and queues per sender at its MPS; set this to
   * your sender's MPS to avoid queueing there. Per worker: N workers send N×.
   */
  TWILIO_MAX_REQUESTS_PER_SECOND: envPositiveInt.default(150),
});
