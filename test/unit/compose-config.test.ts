import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, PROCESS_SECTIONS, type ProcessName } from '../../adapters/config';
import { SECTIONS } from '../../adapters/config/sections';

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
  return value.replace(/\$\{([A-Z0-9_]+)(?:(:?-)([^}]*))?\}/g, (_m, name: string, op: string | undefined, fallback: string | undefined) => {
    const v = env[name];
    if (op === ':-') return v ? v : (fallback ?? '');
    if (op === '-') return v !== undefined ? v : (fallback ?? '');
    return v ?? '';
  });
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[]; environment?: Record<string, string | number>; depends_on?: Record<string, { condition: string }> }>;
};
const envFile = readEnvFile(path.join(root, '.env.example'));

/** App services: `node dist/services/<process>/main.js`. */
const appServices = Object.entries(compose.services).flatMap(([name, svc]) => {
  const m = svc.command?.join(' ').match(/^node dist\/services\/([a-z-]+)\/main\.js/);
  return m ? [{ name, process: m[1] as ProcessName, svc }] : [];
});
const envOf = (svc: { environment?: Record<string, string | number> }) =>
  Object.fromEntries(Object.entries(svc.environment ?? {}).map(([k, v]) => [k, substitute(String(v), envFile)]));

describe('docker-compose.yml boots every process', () => {
  it('has one service per process', () => {
    expect(new Set(appServices.map((s) => s.process))).toEqual(new Set(Object.keys(PROCESS_SECTIONS)));
  });

  it.each(appServices.map((s) => [s.name, s] as const))('%s: its configuration loads from its own environment', (_name, { process, svc }) => {
    expect(() => loadConfig(envOf(svc), process)).not.toThrow();
  });

  it.each(appServices.map((s) => [s.name, s] as const))('%s: receives only variables its process reads', (_name, { process, svc }) => {
    const reads = new Set(PROCESS_SECTIONS[process].flatMap((s) => Object.keys(SECTIONS[s].shape)));
    expect(Object.keys(svc.environment ?? {}).filter((k) => !reads.has(k))).toEqual([]);
  });

  it('workers and the API start after the database is healthy and Temporal is set up', () => {
    for (const { name, svc } of appServices.filter((s) => s.name !== 'temporal-setup')) {
      expect([name, svc.depends_on?.mongo?.condition, svc.depends_on?.['temporal-setup']?.condition]).toEqual([name, 'service_healthy', 'service_completed_successfully']);
    }
  });

  it('the checker is not vacuous: a service missing a secret would be caught', () => {
    const kyc = appServices.find((s) => s.process === 'kyc-worker')!;
    const { SMILE_ID_API_KEY: _gone, ...rest } = envOf(kyc.svc);
    expect(() => loadConfig(rest, 'kyc-worker')).toThrow(/SMILE_ID_API_KEY/);
  });
});
