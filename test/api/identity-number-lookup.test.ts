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
    sandbox = await listen(
      createSandboxApp({ config, logger: createLogger({ level: 'silent', name: 'sandbox' }) }).app,
    );
    stack = await startTestStack();
  });
  afterAll(async () => {
    await sandbox?.close();
    await stack?.close();
  });

  async function lookup(number: string, overrides: Record<string, string> = {}) {
    const { user, headers } = await userWithToken(stack.deps.models, config, { firstName: 'Ada', lastName: 'Obi' });
    // The date of birth the matching rules need, given the way a user gives it: on the profile.
    const put = await request(`${stack.url}/users/${user._id}`, {
      method: 'PUT',
      headers,
      json: { dateOfBirth: '1991-03-12' },
    });
    expect(put.status).toBe(200);
    const { lookupIdentityNumbers } = createIdentityNumberActivities({
      config: testConfig({ SMILE_ID_BASE_URL: sandbox.url, ...overrides }),
      models: stack.deps.models,
    });
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

  it('throws a retryable PROVIDER_UNAVAILABLE on 1015, then succeeds once the authority is back', async () => {
    await expect(lookup('22215000002')).rejects.toMatchObject({ type: 'PROVIDER_UNAVAILABLE', nonRetryable: false });
    await expect(lookup('22215000002')).rejects.toMatchObject({ type: 'PROVIDER_UNAVAILABLE' });
    await expect(lookup('22215000002')).resolves.toMatchObject({ outcome: 'match' });
  });

  it('locks only the date of birth the authority saw: a date changed while the lookup ran stays unverified', async () => {
    const { user, headers } = await userWithToken(stack.deps.models, config, { firstName: 'Ada', lastName: 'Obi' });
    const profile = (json: unknown) => request(`${stack.url}/users/${user._id}`, { method: 'PUT', headers, json });
    expect((await profile({ dateOfBirth: '1991-03-12' })).status).toBe(200);
    // The user edits the date while the authority answers (the provider call is the slow part).
    const fetchFn: typeof fetch = async (url, init) => {
      expect((await profile({ dateOfBirth: '1990-01-01' })).status).toBe(200);
      return fetch(url, init);
    };
    const { lookupIdentityNumbers } = createIdentityNumberActivities({
      config: testConfig({ SMILE_ID_BASE_URL: sandbox.url }),
      models: stack.deps.models,
      fetch: fetchFn,
    });
    const numbers = { bvn: { sealed: cipher.encrypt('22200000001', 'req-2'), last3: '001' } };
    await expect(
      new MockActivityEnvironment().run(lookupIdentityNumbers, { requestId: 'req-2', userId: user._id, numbers }),
    ).resolves.toMatchObject({ outcome: 'match' });
    const after = await request(`${stack.url}/users/${user._id}`, { headers });
    expect(after.json.data).toMatchObject({ dateOfBirth: '1990-01-01', dateOfBirthVerified: false });
    expect((await profile({ dateOfBirth: '1989-05-05' })).status).toBe(200);
  });

  it('fails permanently when the provider rejects our signature', async () => {
    await expect(lookup('22200000001', { SMILE_ID_API_KEY: 'a-different-key-0123456789' })).rejects.toMatchObject({
      type: 'PERMANENT_PROVIDER_ERROR',
      nonRetryable: true,
    });
  });
});
