import { z } from 'zod';
import { envPositiveInt, envUrl } from './schema';

const CHANNEL = z.enum(['email', 'sms', 'push']);

/**
 * Notification providers. Every base URL is optional: unset means the sandbox (SANDBOX_URL), so
 * switching a provider to the real one is configuration only (set its base URL and credentials).
 */
export const notificationsSchema = z.object({
  SENDGRID_BASE_URL: envUrl.optional(),
  /** Secret (dev-secrets generates one; the sandbox accepts the same value). */
  SENDGRID_API_KEY: z.string().min(16),
  SENDGRID_FROM_EMAIL: z.email().default('no-reply@kyc-orchestrator.local'),
  /** Base64 DER (SPKI) ECDSA P-256 public key from SendGrid's "Signed Event Webhook" settings. */
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: z.string().min(40),
  /** Sandbox only: the private half it signs event webhooks with (base64 DER PKCS#8). */
  SANDBOX_SENDGRID_EVENT_SIGNING_KEY: z.string().min(40).optional(),

  TWILIO_BASE_URL: envUrl.optional(),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-f]{32}$/, 'expected AC + 32 hex characters').default(`AC${'0'.repeat(32)}`),
  TWILIO_AUTH_TOKEN: z.string().min(16),
  TWILIO_FROM_NUMBER: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'E.164 number').default('+15005550006'),

  /** `sandbox`: the project's push simulator; `fcm`: Firebase Cloud Messaging through firebase-admin. */
  PUSH_PROVIDER: z.enum(['sandbox', 'fcm']).default('sandbox'),
  PUSH_SANDBOX_URL: envUrl.optional(),
  FCM_PROJECT_ID: z.string().min(1).default('kyc-orchestrator-sandbox'),
  /** Path to a service-account JSON for `fcm` (else Application Default Credentials). */
  FCM_SERVICE_ACCOUNT_PATH: z.string().min(1).optional(),

  /** Tried in this order, one at a time, when every selected channel failed permanently. */
  NOTIFY_FALLBACK_ORDER: z
    .string()
    .default('push,sms,email')
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(CHANNEL).min(1)),
  /**
   * A send that crashed after the provider call is resent only if no provider callback has
   * confirmed it within this window (callbacks carry our delivery key).
   */
  NOTIFY_RECONCILE_WINDOW_MS: envPositiveInt.default(60_000),
  /** Provider rate limit, enforced by Temporal on the notifications task queue. */
  NOTIFY_MAX_ACTIVITIES_PER_SECOND: envPositiveInt.default(200),
});
