import { randomBytes } from 'node:crypto';

import { type Config, loadConfig } from '../../adapters/config';
import { TEST_BRIDGE_WEBHOOK_PRIVATE_KEY, TEST_BRIDGE_WEBHOOK_PUBLIC_KEY } from './bridge-test-keys';

export const TEST_OPS_TOKEN = 'test-ops-token-0123456789abcdef';

/** Fixed secrets for tests (never used outside them). */
export const TEST_SECRETS = Object.freeze({
  JWT_SIGNING_KEYS: `test1:${Buffer.alloc(32, 7).toString('base64')}`,
  PII_ENCRYPTION_KEYS: `test1:${Buffer.alloc(32, 9).toString('base64')}`,
  VERIFF_API_KEY: 'test-veriff-api-key',
  VERIFF_SHARED_SECRET: 'test-veriff-shared-secret-0123456789',
  BRIDGE_API_KEY: 'test-bridge-api-key',
  BRIDGE_WEBHOOK_PUBLIC_KEY: TEST_BRIDGE_WEBHOOK_PUBLIC_KEY,
  SANDBOX_BRIDGE_WEBHOOK_PRIVATE_KEY: TEST_BRIDGE_WEBHOOK_PRIVATE_KEY,
  SMILE_ID_API_KEY: 'test-smile-api-key-0123456789',
  SENDGRID_API_KEY: 'SG.test-sendgrid-key-0123456789',
  TWILIO_AUTH_TOKEN: 'test-twilio-auth-token-0123456789',
  // A fixed P-256 pair: the sandbox signs SendGrid events with the private half, the API verifies.
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY:
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEO7w11xTsEekCc5pjfYS2yfvGAKzqhjkPKIEDvq6ETrpQ5Auhht8kr116m6o4zM5VXO7xtsEigJ07uiQL80Ih/Q==',
  SANDBOX_SENDGRID_EVENT_SIGNING_KEY:
    'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFvkY8C+Lz5QXayycHGhvNIixKXTC615SVr5qm8vVAAihRANCAAQ7vDXXFOwR6QJzmmN9hLbJ+8YArOqGOQ8ogQO+roROulDkC6GG3ySvXXqbqjjMzlVc7vG2wSKAnTu6JAvzQiH9',
});

/**
 * Config for a test: the harness's throwaway servers, quiet logs, fixed test secrets and a task
 * queue prefix unique to this test file so parallel files never run each other's tasks.
 */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const uri = process.env.TEST_MONGODB_URI;
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!uri || !address) throw new Error('test infrastructure not started: run the tests with `npm test`');
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MONGODB_URI: uri,
    TEMPORAL_ADDRESS: address,
    OPS_TOKEN: TEST_OPS_TOKEN,
    ...TEST_SECRETS,
    TASK_QUEUE_PREFIX: fileQueuePrefix,
    // Test files register many users from 127.0.0.1; hardening tests set the sign-up limits low.
    RATE_LIMIT_REGISTER_PER_IP: '100000',
    RATE_LIMIT_RESEND_PER_IP: '100000',
    RATE_LIMIT_CONFIRM_PER_IP: '100000',
    ...overrides,
  });
}

// Module scope = one per test file (jest isolates modules per file).
const fileQueuePrefix = `t${randomBytes(4).toString('hex')}-`;
