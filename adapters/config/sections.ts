import { authSchema } from './auth';
import { bridgeSchema, bridgeWebhooksSchema } from './bridge';
import { casesSchema } from './cases';
import { codecSchema } from './codec';
import { notificationsSchema } from './notifications';
import { onboardingSchema } from './onboarding';
import { partnerKycSchema } from './partner-kyc';
import { passwordLinksSchema, passwordRecoveryLimitsSchema } from './password-recovery';
import { pushSchema } from './push';
import { sandboxOutboxSchema, sandboxSigningSchema } from './sandbox';
import { coreSchema } from './schema';
import { jwtSchema, piiSchema } from './security';
import { sendgridSchema, sendgridWebhooksSchema } from './sendgrid';
import { smileIdSchema } from './smile-id';
import { twilioSchema } from './twilio';
import { veriffSchema } from './veriff';
import { verificationSchema } from './verification';
import { webhookSignalsSchema } from './webhook-signals';
import { workerVersioningSchema } from './worker-versioning';

/**
 * Every configuration section, by name. A variable is declared once, in one section, with its
 * default; a process parses only the sections it uses (processes.ts), so it needs — and holds —
 * only its own secrets.
 */
export const SECTIONS = {
  core: coreSchema,
  jwt: jwtSchema,
  pii: piiSchema,
  codec: codecSchema,
  auth: authSchema,
  passwordLinks: passwordLinksSchema,
  passwordRecoveryLimits: passwordRecoveryLimitsSchema,
  onboarding: onboardingSchema,
  verification: verificationSchema,
  cases: casesSchema,
  notifications: notificationsSchema,
  partnerKyc: partnerKycSchema,
  veriff: veriffSchema,
  bridge: bridgeSchema,
  bridgeWebhooks: bridgeWebhooksSchema,
  webhookSignals: webhookSignalsSchema,
  smileId: smileIdSchema,
  sendgrid: sendgridSchema,
  sendgridWebhooks: sendgridWebhooksSchema,
  twilio: twilioSchema,
  push: pushSchema,
  sandboxSigning: sandboxSigningSchema,
  sandboxOutbox: sandboxOutboxSchema,
  workerVersioning: workerVersioningSchema,
} as const;

export type SectionName = keyof typeof SECTIONS;
