import { z } from 'zod';

import { envPositiveInt, envUrl } from './schema';

/** SendGrid email: the notifications worker sends; the API verifies signed event webhooks. */
export const sendgridSchema = z.object({
  SENDGRID_BASE_URL: envUrl.optional(),
  /** Secret (dev-secrets generates one; the sandbox accepts the same value). */
  SENDGRID_API_KEY: z.string().min(16),
  SENDGRID_FROM_EMAIL: z.email().default('no-reply@kyc-orchestrator.local'),
  /**
   * Requests per second this worker sends to the SendGrid account (a token bucket per API key;
   * an email is two requests: the suppression check and the send). Per worker: N workers send N×.
   */
  SENDGRID_MAX_REQUESTS_PER_SECOND: envPositiveInt.default(300),
});

/** Verifying SendGrid's signed event webhook (the API). */
export const sendgridWebhooksSchema = z.object({
  /** Base64 DER (SPKI) ECDSA P-256 public key from SendGrid's "Signed Event Webhook" settings. */
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: z.string().min(40),
});
