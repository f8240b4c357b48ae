import { z } from 'zod';

import { trustProxySchema } from './trust-proxy';

// Environment strings → typed values. Booleans accept the usual spellings so `.env` files stay readable.
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const envPort = z.coerce.number().int().min(0).max(65535);
export const envPositiveInt = z.coerce.number().int().positive();
export const envUrl = z.url();

/** A PEM from the environment: real newlines or `\n` escapes (one-line .env values) both work. */
export const pem = (label: string) =>
  z
    .string()
    .transform((v) => v.replace(/\\n/g, '\n').trim())
    .refine((v) => v.includes(`-----BEGIN ${label}-----`), `expected a PEM ${label}`);

/** Space-separated `--flag=value` V8/Node options (nothing else: they go on a command line). */
export const workerV8Flags = z
  .string()
  .default('--max-semi-space-size=2 --max-old-space-size=160')
  .transform((s) => s.split(/\s+/).filter(Boolean))
  .pipe(
    z.array(
      z.string().regex(/^--[a-z0-9-]+(=[A-Za-z0-9._-]+)?$/, 'expected space-separated --flag or --flag=value options'),
    ),
  );

/** Core runtime: process, HTTP, infrastructure addresses. Other sections live beside this file. */
export const coreSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: envPort.default(3000),
  API_PUBLIC_URL: envUrl.default('http://127.0.0.1:3000'),
  /**
   * Browser origins allowed to call the API cross-origin, comma-separated (`*` is refused).
   * Unset: none in production; in development and test the API's own origins (localhost and
   * 127.0.0.1 on PORT, and API_PUBLIC_URL), so the docs page works however it was opened.
   */
  CORS_ORIGINS: z
    .string()
    .refine(
      (v) =>
        v.split(',').every((o) => {
          const t = o.trim();
          if (!t) return true;
          try {
            return new URL(t).origin === t;
          } catch {
            return false;
          }
        }),
      'comma-separated origins such as https://app.example.com (no path, no *)',
    )
    .optional(),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 100kb')
    .default('100kb'),
  TRUST_PROXY: trustProxySchema,
  SHUTDOWN_GRACE_MS: envPositiveInt.default(10_000),

  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// or mongodb+srv:// URI')
    .default('mongodb://127.0.0.1:27017/kyc'),

  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: envBoolean.optional(),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Workflow runs a worker keeps in memory between tasks. The SDK's default grows with the heap
   * limit (2,310 on a 4 GiB heap); onboarding runs wait for days, so that default holds every open
   * run in memory (docs/performance.md: worker RSS). An evicted run is replayed from history.
   */
  WORKER_MAX_CACHED_WORKFLOWS: envPositiveInt.default(250),
  /**
   * V8 flags the worker processes start with (infra/processes.ts puts them on the command line, so
   * `npm start` and the bench run them; docker-compose.yml's worker commands carry the default, which
   * test/unit/compose-config.test.ts keeps equal). V8's
   * defaults size a long-lived process for throughput: young-generation semi-spaces of up to
   * 16 MiB per isolate (a worker has two, main and workflow thread) and an old space that keeps
   * its high-water mark after a burst. Sized by measurement in docs/performance.md (memory).
   */
  WORKER_V8_FLAGS: workerV8Flags,
  TASK_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]*$/, 'lowercase letters, digits and dashes only')
    .default(''),

  SANDBOX_PORT: envPort.default(4010),
  SANDBOX_URL: envUrl.default('http://127.0.0.1:4010'),

  OPS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /**
   * Bearer token a Prometheus scraper sends to GET /metrics (`authorization: {type: Bearer}` in its
   * scrape config). Set: /metrics needs it (OPS_TOKEN works too), in every environment.
   */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /**
   * Whether GET /metrics answers without a token when METRICS_TOKEN is unset. Default: yes outside
   * production (local scrapes, tests), no in production, where OPS_TOKEN then opens it. `true` in
   * production is for an API whose port only a private network reaches; it cannot be combined with
   * METRICS_TOKEN.
   */
  METRICS_PUBLIC: envBoolean.optional(),
});
