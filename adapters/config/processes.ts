import type { SectionName } from './sections';

/**
 * Which sections each process parses. This is the list a deployment reads to know what to give a
 * container (docker-compose.yml follows it, and test/unit/compose-config.test.ts checks that it does).
 * - api: verifies every provider's webhooks (Veriff key and shared secret, Bridge and SendGrid public
 *   keys, and Twilio's auth token — Twilio signs status callbacks with it); calls no provider.
 * - onboarding-worker: workflows and database activities; no provider credentials.
 * - kyc-worker: calls Veriff, Bridge and Smile ID.
 * - notifications-worker: sends through SendGrid, Twilio and push; mints the set-password link and the
 *   password-reset code inside the send (passwordLinks), so neither enters workflow history.
 * - onboarding-worker and notifications-worker also read workerVersioning: they host workflows, the kyc
 *   worker runs activities only and stays unversioned (docs/architecture.md, "Versioning").
 * - sandbox: plays every provider locally, so it holds their keys and the signing halves.
 * - ops: the operator CLI (database, Temporal, field cipher for PII it writes; the onboarding's
 *   reminder times, which say when an onboarding_overdue case still stands).
 */
export const PROCESS_SECTIONS = {
  api: [
    'core',
    'jwt',
    'pii',
    'codec',
    'auth',
    'passwordLinks',
    'passwordRecoveryLimits',
    'onboarding',
    'verification',
    'cases',
    'notifications',
    'partnerKyc',
    'veriff',
    'bridgeWebhooks',
    'webhookSignals',
    'sendgridWebhooks',
    'twilio',
  ],
  'onboarding-worker': [
    'core',
    'pii',
    'codec',
    'auth',
    'onboarding',
    'verification',
    'cases',
    'notifications',
    'partnerKyc',
    'workerVersioning',
  ],
  'kyc-worker': ['core', 'pii', 'codec', 'onboarding', 'veriff', 'bridge', 'smileId'],
  'notifications-worker': [
    'core',
    'pii',
    'codec',
    'passwordLinks',
    'notifications',
    'sendgrid',
    'twilio',
    'push',
    'workerVersioning',
  ],
  sandbox: ['core', 'veriff', 'bridge', 'smileId', 'sendgrid', 'twilio', 'push', 'sandboxSigning', 'sandboxOutbox'],
  ops: ['core', 'pii', 'codec', 'auth', 'onboarding', 'verification', 'cases', 'partnerKyc'],
} as const satisfies Record<string, readonly SectionName[]>;

export type ProcessName = keyof typeof PROCESS_SECTIONS;
export const PROCESS_NAMES = Object.keys(PROCESS_SECTIONS) as ProcessName[];
