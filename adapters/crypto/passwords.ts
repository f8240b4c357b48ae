import * as argon2 from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (an ambient const enum, not importable under isolatedModules)
import type { Config } from '../config';

export type PasswordConfig = Pick<Config, 'ARGON2_MEMORY_KIB' | 'ARGON2_ITERATIONS' | 'ARGON2_PARALLELISM'>;

/** The argon2 primitives, passed in so a test can see which hash a verification ran against. */
export type Argon2 = Pick<typeof argon2, 'hash' | 'verify'>;

/** argon2id with the configured (OWASP-floor) cost; the PHC string carries its own parameters. */
export function createPasswordHasher(config: PasswordConfig, { hash, verify }: Argon2 = argon2) {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_ITERATIONS,
    parallelism: config.ARGON2_PARALLELISM,
  };
  // Verified against when the account does not exist, so unknown emails cost the same time.
  let dummy: Promise<string> | undefined;
  return {
    hash: (password: string) => hash(password, options),
    async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
      try {
        if (!passwordHash) {
          await verify(await (dummy ??= hash('dummy-password-for-timing', options)), password);
          return false;
        }
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
