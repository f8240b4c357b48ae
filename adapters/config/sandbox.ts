import { z } from 'zod';
import { pem } from './schema';

/** Only the provider sandbox holds these: the private halves it signs simulated webhooks with. */
export const sandboxSigningSchema = z.object({
  /** Sandbox only: the private half it signs Bridge webhooks with. */
  SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY: pem('PRIVATE KEY').optional(),
  /** Sandbox only: the private half it signs event webhooks with (base64 DER PKCS#8). */
  SANDBOX_SENDGRID_EVENT_SIGNING_KEY: z.string().min(40).optional(),
});
