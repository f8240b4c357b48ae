import { z } from 'zod';
import { authSchema } from './auth';
import { onboardingSchema } from './onboarding';
import { notificationsSchema } from './notifications';
import { coreSchema } from './schema';
import { securitySchema } from './security';
import { verificationSchema } from './verification';

// One schema for the whole process environment. Feature sections are merged here so a
// variable is declared once, with its default, and `.env.example` documents the same list.
export const configSchema = coreSchema
  .extend(securitySchema.shape)
  .extend(authSchema.shape)
  .extend(onboardingSchema.shape)
  .extend(verificationSchema.shape)
  .extend(notificationsSchema.shape)
  .superRefine((c, ctx) => {
    if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_KEY_PATH'], message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together' });
    }
    if (c.CODEC_UI_KEY && c.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['CODEC_UI_KEY'], message: 'is for the local stack only: in production the Temporal UI forwards the user\'s token' });
    }
  });

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, at start-up. Values are never echoed: some are secrets. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings in .env files mean "not set", not "set to empty".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(root)'), message: i.message })),
    );
  }
  return Object.freeze(parsed.data);
}
