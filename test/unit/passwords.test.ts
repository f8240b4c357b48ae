import { loadConfig } from '../../adapters/config';
import { createPasswordHasher } from '../../adapters/crypto/passwords';
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

  // Not a timing test (those flake on a loaded machine): the unknown-account path must run one real
  // argon2 verification against a hash of the same cost as a real account's, which is what makes the
  // two take the same time.
  it('spends a full argon2 verification at the same cost when there is no account (no timing oracle)', async () => {
    const argon2 = await import('@node-rs/argon2');
    const verified: string[] = [];
    const spied = createPasswordHasher(
      { ARGON2_MEMORY_KIB: 19_456, ARGON2_ITERATIONS: 2, ARGON2_PARALLELISM: 1 },
      { hash: argon2.hash, verify: (h, p) => (verified.push(String(h)), argon2.verify(h, p)) },
    );
    const real = await spied.hash('SecurePass123!');
    await expect(spied.verify(real, 'Wrong')).resolves.toBe(false);
    await expect(spied.verify(null, 'Wrong')).resolves.toBe(false);
    await expect(spied.verify(undefined, 'Wrong')).resolves.toBe(false);
    expect(verified).toHaveLength(3);
    const params = (phc: string) => phc.split('$').slice(1, 4).join('$');
    expect(params(verified[1])).toBe(params(real));
    expect(params(verified[2])).toBe('argon2id$v=19$m=19456,t=2,p=1');
  });

  it('refuses configuration below the OWASP floor', () => {
    expect(() => loadConfig({ ...TEST_SECRETS, ARGON2_MEMORY_KIB: '4096' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(() => loadConfig({ ...TEST_SECRETS, ARGON2_ITERATIONS: '1' })).toThrow(/ARGON2_ITERATIONS/);
    expect(() => loadConfig({ ...TEST_SECRETS, AUTH_LOCKOUT_MAX_FAILURES: '101' })).toThrow(
      /AUTH_LOCKOUT_MAX_FAILURES/,
    );
  });
});
