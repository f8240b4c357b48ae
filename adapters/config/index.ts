import { z } from 'zod';

import { PROCESS_SECTIONS, type ProcessName } from './processes';
import { type SectionName, SECTIONS } from './sections';

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** The typed, frozen configuration made of the given sections. */
export type ConfigOf<S extends SectionName> = Readonly<
  UnionToIntersection<{ [K in S]: z.infer<(typeof SECTIONS)[K]> }[S]>
>;
/** What one process parses and holds (processes.ts says which sections). */
export type ProcessConfig<P extends ProcessName> = ConfigOf<(typeof PROCESS_SECTIONS)[P][number]>;
/** Every section: the dev stack's supervisor and the tests, which run every process in one place. */
export type Config = ConfigOf<SectionName>;

export { PROCESS_NAMES, PROCESS_SECTIONS, type ProcessName } from './processes';

function schemaFor(sections: readonly SectionName[]) {
  const shape = Object.assign({}, ...sections.map((s) => SECTIONS[s].shape)) as z.ZodRawShape;
  return z.object(shape).superRefine((c: Record<string, unknown>, ctx) => {
    if ('TEMPORAL_TLS_CERT_PATH' in shape && Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_KEY_PATH'],
        message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
      });
    }
    if ('METRICS_PUBLIC' in shape && c.METRICS_PUBLIC === true && c.METRICS_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_PUBLIC'],
        message: 'cannot be true with METRICS_TOKEN set: with a token, /metrics always needs it',
      });
    }
    if (
      'WORKER_DEPLOYMENT_NAME' in shape &&
      c.WORKER_DEPLOYMENT_NAME &&
      !c.WORKER_BUILD_ID &&
      !c.WORKFLOW_BUNDLE_PATH
    ) {
      // From source (no bundle) the worker has no fixed code to name a version after.
      ctx.addIssue({
        code: 'custom',
        path: ['WORKER_BUILD_ID'],
        message: 'a versioned worker (WORKER_DEPLOYMENT_NAME) needs WORKER_BUILD_ID or WORKFLOW_BUNDLE_PATH',
      });
    }
    if ('CODEC_UI_KEY' in shape && c.CODEC_UI_KEY && c.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['CODEC_UI_KEY'],
        message: "is for the local stack only: in production the Temporal UI forwards the user's token",
      });
    }
  });
}

export class ConfigError extends Error {
  constructor(
    readonly issues: { variable: string; message: string }[],
    readonly processName?: ProcessName,
  ) {
    super(
      `Invalid configuration${processName ? ` for ${processName}` : ''}:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up. With a process name, only that process's sections are
 * read and validated (a kyc worker neither needs nor sees the Twilio token); without one, every
 * section (the local dev supervisor and tests). Values are never echoed: some are secrets.
 */
export function loadConfig(env?: NodeJS.ProcessEnv): Config;
export function loadConfig<P extends ProcessName>(env: NodeJS.ProcessEnv, processName: P): ProcessConfig<P>;
export function loadConfig(env: NodeJS.ProcessEnv = process.env, processName?: ProcessName): unknown {
  const sections: readonly SectionName[] = processName
    ? PROCESS_SECTIONS[processName]
    : (Object.keys(SECTIONS) as SectionName[]);
  // Empty strings in .env files mean "not set", not "set to empty".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schemaFor(sections).safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(root)'), message: i.message })),
      processName,
    );
  }
  return Object.freeze(parsed.data);
}
