import { createPasswordHasher } from '../../adapters/crypto/passwords';
import { loadConfig } from '../../adapters/config';
import { TEST_SECRETS } from '../helpers/config';

describe('password hashing (argon2id, OWASP floor)', () => {
  const hasher = createPasswordHasher({ ARGON2_MEMORY_KIB: 19_456, ARGON2_ITERATIONS: 2, ARGON2_PARALLELISM: 1 });

  it('hashes with argon2id m=19456 t=2 p=1 and verifies', async () => {
    const hash = await hasher.hash('SecurePass123!');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(hasher.verify(hash, 'SecurePass123!')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'securepass123!')).resolves.toBe(false);
    await expect(hasher.verify('not-a-hash', 'x')).resolves.toBe(false);
  });

  it('never accepts a missing hash, even for the dummy password itself', async () => {
    await expect(hasher.verify(null, 'dummy-password-for-timing')).resolves.toBe(false);
  });

  it('spends a full argon2 verification when there is no account (no timing oracle)', async () => {
    const hash = await hasher.hash('SecurePass123!');
    await hasher.verify(null, 'warm-up');
    const median = async (f: () => Promise<unknown>) => {
      const xs: number[] = [];
      for (let i = 0; i < 9; i++) {
        const t = performance.now();
        await f();
        xs.push(performance.now() - t);
      }
      return xs.sort((a, b) => a - b)[4];
    };
    const known = await median(() => hasher.verify(hash, 'Wrong'));
    const unknown = await median(() => hasher.verify(null, 'Wrong'));
    expect(unknown).toBeGreaterThan(known * 0.6);
  });

  it('refuses configuration below the OWASP floor', () => {
    expect(() => loadConfig({ ...TEST_SECRETS, ARGON2_MEMORY_KIB: '4096' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(() => loadConfig({ ...TEST_SECRETS, ARGON2_ITERATIONS: '1' })).toThrow(/ARGON2_ITERATIONS/);
    expect(() => loadConfig({ ...TEST_SECRETS, AUTH_LOCKOUT_MAX_FAILURES: '101' })).toThrow(/AUTH_LOCKOUT_MAX_FAILURES/);
  });
});
