import { ConfigError, loadConfig as load } from '../../adapters/config';
import { TEST_SECRETS } from '../helpers/config';

const loadConfig = (env: Record<string, string>) => load({ ...TEST_SECRETS, ...env });

describe('configuration', () => {
  it('defaults to the embedded stack and sandbox providers', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.MONGODB_URI).toBe('mongodb://127.0.0.1:27017/kyc');
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.SANDBOX_URL).toBe('http://127.0.0.1:4010');
  });

  it('is frozen so nothing can change it after start-up', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable and never echoes its value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'seventy', MONGODB_URI: 'postgres://secret-host', LOG_LEVEL: 'chatty' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/MONGODB_URI:/);
    expect(message).toMatch(/LOG_LEVEL:/);
    expect(message).not.toMatch(/secret-host/);
  });

  it('refuses to start without secrets, naming them', () => {
    expect(() => load({})).toThrow(/JWT_SIGNING_KEYS:[\s\S]*PII_ENCRYPTION_KEYS:/);
  });

  it('rejects a key that is too short for its cipher', () => {
    expect(() => loadConfig({ PII_ENCRYPTION_KEYS: `k1:${Buffer.alloc(8).toString('base64')}` })).toThrow(
      /PII_ENCRYPTION_KEYS: key k1 must decode to at least 32 bytes/,
    );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it('requires the TLS certificate and key together', () => {
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/x.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
  });
});
