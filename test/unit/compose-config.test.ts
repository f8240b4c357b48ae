import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { loadConfig, PROCESS_SECTIONS, type ProcessName } from '../../adapters/config';
import { SECTIONS } from '../../adapters/config/sections';
import { APP_SERVICES, serviceArgs, serviceEnv } from '../../infra/processes';

// docker-compose.yml is the path from `npm start` to a deployment, and it cannot run here (no
// Docker engine). This test boots each app service's configuration the way its container would:
// the service's own environment from the file, variables substituted from .env.example.
const root = path.resolve(__dirname, '../..');

/** `.env.example` as docker compose reads an env file: KEY=value, `#` comments, empty = unset. */
function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z][A-Z0-9_]*)=("[^"]*"|\S*)/);
    if (m && m[2] !== '') env[m[1]] = m[2].replace(/^"|"$/g, '');
  }
  return env;
}

/** Compose interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}. */
function substitute(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?:(:?-)([^}]*))?\}/g,
    (_m, name: string, op: string | undefined, fallback: string | undefined) => {
      const v = env[name];
      if (op === ':-') return v ? v : (fallback ?? '');
      if (op === '-') return v !== undefined ? v : (fallback ?? '');
      return v ?? '';
    },
  );
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string | number>;
      depends_on?: Record<string, { condition: string }>;
    }
  >;
};
const envFile = readEnvFile(path.join(root, '.env.example'));

/** App services: `node [--v8-flag …] dist/services/<process>/main.js`. */
const appServices = Object.entries(compose.services).flatMap(([name, svc]) => {
  const m = svc.command?.join(' ').match(/^node ((?:--[a-z0-9=-]+ )*)dist\/services\/([a-z-]+)\/main\.js/);
  return m ? [{ name, process: m[2] as ProcessName, svc, nodeFlags: m[1].split(' ').filter(Boolean) }] : [];
});
/** Read by the runtime (glibc), not by the app's configuration. */
const RUNTIME_VARIABLES = new Set(['MALLOC_ARENA_MAX']);
const envOf = (svc: { environment?: Record<string, string | number> }) =>
  Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, substitute(String(v), envFile)]));

describe('docker-compose.yml boots every process', () => {
  it('has one service per process', () => {
    expect(new Set(appServices.map((s) => s.process))).toEqual(new Set(Object.keys(PROCESS_SECTIONS)));
  });

  it.each(appServices.map((s) => [s.name, s] as const))(
    '%s: its configuration loads from its own environment',
    (_name, { process, svc }) => {
      expect(() => loadConfig(envOf(svc), process)).not.toThrow();
    },
  );

  it.each(appServices.map((s) => [s.name, s] as const))(
    '%s: receives only variables its process reads',
    (_name, { process, svc }) => {
      const reads = new Set(PROCESS_SECTIONS[process].flatMap((s) => Object.keys(SECTIONS[s].shape)));
      expect(Object.keys(svc.environment ?? {}).filter((k) => !reads.has(k) && !RUNTIME_VARIABLES.has(k))).toEqual([]);
    },
  );

  it('workers start as `npm start` starts them: the default V8 flags and malloc arenas (docs/performance.md, memory)', () => {
    const workers = appServices.filter((s) => s.process.endsWith('-worker'));
    expect(workers.map((w) => w.process).sort()).toEqual(['kyc-worker', 'notifications-worker', 'onboarding-worker']);
    for (const w of workers) {
      const spec = APP_SERVICES.find((a) => a.name === w.process)!;
      const expected = serviceArgs(spec, '/x', {}).slice(0, -1);
      expect([w.name, w.nodeFlags]).toEqual([w.name, expected]);
      expect([w.name, w.svc.environment?.MALLOC_ARENA_MAX]).toEqual([w.name, serviceEnv(spec, {}).MALLOC_ARENA_MAX]);
    }
    for (const other of appServices.filter((s) => !s.process.endsWith('-worker'))) expect(other.nodeFlags).toEqual([]);
  });

  it('workers and the API start after the database is healthy and Temporal is set up', () => {
    for (const { name, svc } of appServices.filter((s) => s.name !== 'temporal-setup')) {
      expect([name, svc.depends_on?.mongo?.condition, svc.depends_on?.['temporal-setup']?.condition]).toEqual([
        name,
        'service_healthy',
        'service_completed_successfully',
      ]);
    }
  });

  it('the checker is not vacuous: a service missing a secret would be caught', () => {
    const kyc = appServices.find((s) => s.process === 'kyc-worker')!;
    const { SMILE_ID_API_KEY: _gone, ...rest } = envOf(kyc.svc);
    expect(() => loadConfig(rest, 'kyc-worker')).toThrow(/SMILE_ID_API_KEY/);
  });
});
