import { MockActivityEnvironment } from '@temporalio/testing';
import { createIdentityNumberActivities } from '../../activities/identity-numbers/create-identity-number-activities';
import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import { createLogger } from '../../adapters/logger';
import { createSandboxApp } from '../../services/sandbox/app';
import { userWithToken } from '../helpers/auth';
import { testConfig } from '../helpers/config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { listen, type RunningServer } from '../helpers/http';

// The kyc worker's adapter against the Smile ID simulator: real HTTP, real signature, real cipher.
describe('identity number lookup (Smile ID shape, sandbox)', () => {
  let sandbox: RunningServer;
  let db: TestDatabase;
  const config = testConfig();
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  beforeAll(async () => {
    sandbox = await listen(createSandboxApp({ config, logger: createLogger({ level: 'silent', name: 'sandbox' }) }).app);
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await sandbox?.close();
    await db?.close();
  });

  async function lookup(number: string, overrides: Record<string, string> = {}) {
    const { user } = await userWithToken(db.models, config, { firstName: 'Ada', lastName: 'Obi', dateOfBirth: '12/03/1991' });
    const { lookupIdentityNumbers } = createIdentityNumberActivities({ config: testConfig({ SMILE_ID_BASE_URL: sandbox.url, ...overrides }), models: db.models });
    const numbers = { bvn: { sealed: cipher.encrypt(number, 'req-1'), last3: number.slice(-3) } };
    return new MockActivityEnvironment().run(lookupIdentityNumbers, { requestId: 'req-1', userId: user._id, numbers });
  }

  it.each([
    ['22200000001', 'match', '1012'],
    ['22200000002', 'partial', '1012'],
    ['22200000003', 'no_match', '1012'],
    ['22200000004', 'not_found', '1013'],
    ['22200000005', 'invalid_number', '1014'],
  ])('%s → %s', async (number, outcome, resultCode) => {
    await expect(lookup(number)).resolves.toEqual({ outcome, results: [{ type: 'bvn', outcome, resultCode }] });
  });

  it('throws a retryable ProviderUnavailable on 1015, then succeeds once the authority is back', async () => {
    await expect(lookup('22215000002')).rejects.toMatchObject({ type: 'ProviderUnavailable', nonRetryable: false });
    await expect(lookup('22215000002')).rejects.toMatchObject({ type: 'ProviderUnavailable' });
    await expect(lookup('22215000002')).resolves.toMatchObject({ outcome: 'match' });
  });

  it('fails permanently when the provider rejects our signature', async () => {
    await expect(lookup('22200000001', { SMILE_ID_API_KEY: 'a-different-key-0123456789' })).rejects.toMatchObject({ type: 'PermanentProviderError', nonRetryable: true });
  });
});
