import { MockActivityEnvironment } from '@temporalio/testing';
import { createIdentityNumberActivities } from '../../activities/identity-numbers/create-identity-number-activities';
import { createFieldCipher } from '../../adapters/crypto/field-cipher';
import { createLogger } from '../../adapters/logger';
import { createSandboxApp } from '../../services/sandbox/app';
import { userWithToken } from '../helpers/auth';
import { testConfig } from '../helpers/config';
import { listen, request, type RunningServer } from '../helpers/http';
import { startTestStack, type TestStack } from '../helpers/stack';

// The kyc worker's adapter against the Smile ID simulator: real HTTP, real signature, real cipher.
describe('identity number lookup (Smile ID shape, sandbox)', () => {
  let sandbox: RunningServer;
  let stack: TestStack;
  const config = testConfig();
  const cipher = createFieldCipher(config.PII_ENCRYPTION_KEYS);
  beforeAll(async () => {
    sandbox = await listen(createSandboxApp({ config, logger: createLogger({ level: 'silent', name: 'sandbox' }) }).app);
    stack = await startTestStack();
  });
  afterAll(async () => {
    await sandbox?.close();
    await stack?.close();
  });

  async function lookup(number: string, overrides: Record<string, string> = {}) {
    const { user, headers } = await userWithToken(stack.deps.models, config, { firstName: 'Ada', lastName: 'Obi' });
    // The date of birth the matching rules need, given the way a user gives it: on the profile.
    const put = await request(`${stack.url}/users/${user._id}`, { method: 'PUT', headers, json: { dateOfBirth: '1991-03-12' } });
    expect(put.status).toBe(200);
    const { lookupIdentityNumbers } = createIdentityNumberActivities({ config: testConfig({ SMILE_ID_BASE_URL: sandbox.url, ...overrides }), models: stack.deps.models });
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
