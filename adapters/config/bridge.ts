import { z } from 'zod';

import { envPositiveInt, envUrl, pem } from './schema';

/** Bridge (customers, ToS links): the kyc worker calls it; the API verifies its webhooks. */
export const bridgeSchema = z.object({
  /** Unset = the sandbox (`${SANDBOX_URL}/bridge/v0`). */
  BRIDGE_BASE_URL: envUrl.optional(),
  BRIDGE_API_KEY: z.string().min(8),
});

/** Verifying Bridge webhooks (the API): the endpoint's public key and how old a signature may be. */
export const bridgeWebhooksSchema = z.object({
  /** PEM public key of the Bridge webhook endpoint (X-Webhook-Signature, RSA-SHA256). */
  BRIDGE_WEBHOOK_PUBLIC_KEY: pem('PUBLIC KEY'),
  BRIDGE_WEBHOOK_MAX_AGE_SECONDS: envPositiveInt.default(600),
});
