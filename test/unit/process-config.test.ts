import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ConfigError, loadConfig, PROCESS_NAMES, PROCESS_SECTIONS } from '../../adapters/config';
import { SECTIONS } from '../../adapters/config/sections';
import { TEST_SECRETS } from '../helpers/config';

const keysOf = (process: (typeof PROCESS_NAMES)[number]) =>
  new Set(PROCESS_SECTIONS[process].flatMap((s) => Object.keys(SECTIONS[s].shape)));
/** Only the secrets a process's own sections declare. */
const secretsFor = (process: (typeof PROCESS_NAMES)[number]) =>
  Object.fromEntries(Object.entries(TEST_SECRETS).filter(([k]) => keysOf(process).has(k)));

describe('configuration per process', () => {
  it.each(PROCESS_NAMES)('%s starts with only its own secrets, and holds nothing else', (process) => {
    const config = loadConfig({ ...secretsFor(process) }, process);
    expect(Object.isFrozen(config)).toBe(true);
    // Even when the environment carries every secret, a process keeps only its sections.
    const all = loadConfig({ ...TEST_SECRETS }, process) as unknown as Record<string, unknown>;
    for (const key of Object.keys(all)) expect(keysOf(process).has(key)).toBe(true);
  });

  it('only the notifications worker, the API (callback signatures) and the sandbox hold the Twilio token', () => {
    const holders = PROCESS_NAMES.filter((p) => 'TWILIO_AUTH_TOKEN' in (loadConfig({ ...TEST_SECRETS }, p) as object));
    expect(holders.sort()).toEqual(['api', 'notifications-worker', 'sandbox']);
    expect(PROCESS_NAMES.filter((p) => keysOf(p).has('SENDGRID_API_KEY')).sort()).toEqual([
      'notifications-worker',
      'sandbox',
    ]);
    expect(PROCESS_NAMES.filter((p) => keysOf(p).has('SMILE_ID_API_KEY')).sort()).toEqual(['kyc-worker', 'sandbox']);
    expect(PROCESS_NAMES.filter((p) => keysOf(p).has('BRIDGE_API_KEY')).sort()).toEqual(['kyc-worker', 'sandbox']);
  });

  it('a missing secret names the variable and the process', () => {
    const { TWILIO_AUTH_TOKEN: _omit, ...rest } = secretsFor('notifications-worker');
    let error: unknown;
    try {
      loadConfig(rest, 'notifications-worker');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/for notifications-worker:\n\s+TWILIO_AUTH_TOKEN/);
    expect((error as ConfigError).message).not.toContain(TEST_SECRETS.SENDGRID_API_KEY);
  });

  it('every variable is declared in exactly one section and listed in .env.example', () => {
    const seen = new Map<string, string>();
    for (const [name, schema] of Object.entries(SECTIONS)) {
      for (const key of Object.keys(schema.shape)) {
        expect(seen.get(key) ?? name).toBe(name);
        seen.set(key, name);
      }
    }
    const example = readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect([...seen.keys()].filter((k) => !listed.has(k))).toEqual([]);
  });
});
