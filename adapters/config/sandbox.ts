import { z } from 'zod';

import { pem } from './schema';

/** Only the provider sandbox holds these: the private halves it signs simulated webhooks with. */
export const sandboxSigningSchema = z.object({
  /** Sandbox only: the private half it signs Bridge webhooks with. */
  SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY: pem('PRIVATE KEY').optional(),
  /** Sandbox only: the private half it signs event webhooks with (base64 DER PKCS#8). */
  SANDBOX_SENDGRID_EVENT_SIGNING_KEY: z.string().min(40).optional(),
});

/** The sandbox's own settings (services/sandbox). */
export const sandboxOutboxSchema = z.object({
  /**
   * JSON-lines file the sandbox outbox appends every simulated email/SMS/push to and reloads at start
   * (docs/sandbox.md). `npm start` sets `.data/sandbox-outbox.jsonl`; unset = memory only.
   */
  SANDBOX_OUTBOX_FILE: z.string().min(1).optional(),
});
