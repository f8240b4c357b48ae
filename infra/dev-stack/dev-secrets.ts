import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets the local stack needs but a newcomer should not have to invent. Generated once into
 * .data/dev-secrets.json (git-ignored) and reused, so tokens and encrypted data survive restarts.
 * Production sets these variables itself; the config schema has no insecure defaults for them.
 */
// The SendGrid event-webhook key pair is generated once per start and both halves stored together.
let eventKeys: { publicKey: string; privateKey: string } | undefined;
function sendgridEventKeys() {
  if (!eventKeys) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    eventKeys = {
      publicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    };
  }
  return eventKeys;
}

const GENERATORS: Record<string, () => string> = {
  OPS_TOKEN: () => randomBytes(24).toString('base64url'),
  // The local Temporal UI decodes through /codec/ui/<key>/ (it cannot send a token).
  CODEC_UI_KEY: () => randomBytes(32).toString('base64url'),
  JWT_SIGNING_KEYS: () => `dev1:${randomBytes(32).toString('base64')}`,
  PII_ENCRYPTION_KEYS: () => `dev1:${randomBytes(32).toString('base64')}`,
  VERIFF_API_KEY: () => `sandbox-${randomBytes(12).toString('hex')}`,
  VERIFF_SHARED_SECRET: () => randomBytes(24).toString('base64url'),
  BRIDGE_API_KEY: () => `sk-sandbox-${randomBytes(12).toString('hex')}`,
  SMILE_ID_API_KEY: () => randomBytes(24).toString('base64url'),
  SENDGRID_API_KEY: () => `SG.dev-${randomBytes(24).toString('base64url')}`,
  TWILIO_AUTH_TOKEN: () => randomBytes(16).toString('hex'),
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: () => sendgridEventKeys().publicKey,
  SANDBOX_SENDGRID_EVENT_SIGNING_KEY: () => sendgridEventKeys().privateKey,
};

/** Secrets that only make sense together: the sandbox signs Bridge webhooks, the API verifies. */
const PAIR_GENERATORS: { names: [string, string]; generate: () => [string, string] }[] = [
  {
    names: ['BRIDGE_WEBHOOK_PUBLIC_KEY', 'SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY'],
    generate: () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      return [publicKey, privateKey];
    },
  },
];

export function loadDevSecrets(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const file = path.join(dataDir, 'dev-secrets.json');
  let stored: Record<string, string> = {};
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first start */
  }
  let changed = false;
  for (const [name, generate] of Object.entries(GENERATORS)) {
    if (env[name] || stored[name]) continue;
    stored[name] = generate();
    changed = true;
  }
  for (const { names, generate } of PAIR_GENERATORS) {
    if (names.some((n) => env[n] || stored[n])) continue;
    [stored[names[0]], stored[names[1]]] = generate();
    changed = true;
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  // Values already in the environment win.
  return Object.fromEntries(Object.entries(stored).filter(([k]) => !env[k]));
}
