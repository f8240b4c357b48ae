import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { bridgeRequiredFor } from '../../activities/users/bridge-policy';
import { loadConfig } from '../../adapters/config';
import { registrationUserId } from '../../adapters/crypto/onboarding-digests';
import { signBridgeWebhook, verifyBridgeWebhook } from '../../adapters/providers/bridge/signature';
import { loadDevSecrets } from '../../infra/dev-stack/dev-secrets';
import { TEST_BRIDGE_WEBHOOK_PRIVATE_KEY, TEST_BRIDGE_WEBHOOK_PUBLIC_KEY } from '../helpers/bridge-test-keys';
import { TEST_SECRETS } from '../helpers/config';

describe('onboarding configuration and signatures', () => {
  it('generates a working dev secret set, including a matching Bridge key pair', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devsecrets-'));
    const secrets = loadDevSecrets(dir, {});
    const config = loadConfig(secrets);
    const body = Buffer.from('{"event_id":"wh_1"}');
    const header = signBridgeWebhook(config.SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY!, body.toString(), 1000);
    expect(
      verifyBridgeWebhook({
        publicKeyPem: config.BRIDGE_WEBHOOK_PUBLIC_KEY,
        header,
        body,
        nowMs: 2000,
        maxAgeMs: 600_000,
      }),
    ).toEqual({ ok: true, timestampMs: 1000 });
    // Generated once, then reused.
    expect(loadDevSecrets(dir, {})).toEqual(secrets);
    fs.rmSync(dir, { recursive: true });
  });

  it('accepts a one-line PEM with \\n escapes (as in a .env file)', () => {
    const config = loadConfig({
      ...TEST_SECRETS,
      BRIDGE_WEBHOOK_PUBLIC_KEY: TEST_BRIDGE_WEBHOOK_PUBLIC_KEY.replace(/\n/g, '\\n'),
    });
    expect(config.BRIDGE_WEBHOOK_PUBLIC_KEY).toBe(TEST_BRIDGE_WEBHOOK_PUBLIC_KEY.trim());
    expect(() => loadConfig({ ...TEST_SECRETS, BRIDGE_WEBHOOK_PUBLIC_KEY: 'not a key' })).toThrow(
      /BRIDGE_WEBHOOK_PUBLIC_KEY/,
    );
  });

  it('rejects tampered, re-timed and stale Bridge signatures', () => {
    const body = Buffer.from('{"a":1}');
    const header = signBridgeWebhook(TEST_BRIDGE_WEBHOOK_PRIVATE_KEY, body.toString(), 1_000_000);
    const check = (h: string, b = body, nowMs = 1_000_000) =>
      verifyBridgeWebhook({
        publicKeyPem: TEST_BRIDGE_WEBHOOK_PUBLIC_KEY,
        header: h,
        body: b,
        nowMs,
        maxAgeMs: 600_000,
      });
    expect(check(header).ok).toBe(true);
    expect(check(header, Buffer.from('{"a":2}'))).toEqual({ ok: false, reason: 'INVALID_SIGNATURE' });
    expect(check(header.replace('t=1000000', 't=1000001'))).toEqual({ ok: false, reason: 'INVALID_SIGNATURE' });
    expect(check(header, body, 1_000_000 + 600_001)).toEqual({ ok: false, reason: 'STALE_WEBHOOK' });
    expect(check('garbage')).toEqual({ ok: false, reason: 'INVALID_SIGNATURE' });
  });

  it('switches the Bridge step off globally, per country and per organization', () => {
    const config = loadConfig({ ...TEST_SECRETS, BRIDGE_SKIP_COUNTRIES: 'gh, ke' });
    expect(bridgeRequiredFor(config, 'NG', {})).toBe(true);
    expect(bridgeRequiredFor(config, 'GH', {})).toBe(false);
    expect(bridgeRequiredFor(config, 'NG', { bridge: { enabled: false } })).toBe(false);
    expect(bridgeRequiredFor(loadConfig({ ...TEST_SECRETS, BRIDGE_ENABLED: 'false' }), 'NG', null)).toBe(false);
  });

  it('derives a stable, non-revealing user id from the email', () => {
    const config = loadConfig(TEST_SECRETS);
    const id = registrationUserId(config, ' Ada@Example.test ');
    expect(id).toBe(registrationUserId(config, 'ada@example.test'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(registrationUserId(config, 'ada2@example.test'));
  });
});
