import type { Config } from '../../../adapters/config';
import { tokenDigest } from '../../../adapters/crypto/token-digest';
import { tooManyRequests } from '../http/app-error';
import type { RateLimiter } from './rate-limiter';

const BUCKET = 'login-guesses';

/**
 * Per-account lockout (ASVS 2.2.1): at most AUTH_LOCKOUT_MAX_FAILURES passwords are evaluated per
 * account per window; past that the account answers 429 until the window ends. Keyed by a digest
 * of the email, whether or not the account exists, so a lockout reveals nothing either.
 *
 * Exact under concurrency: a guess claims one of the window's slots (an insert against a unique
 * `_id`) BEFORE its password is verified, and only a correct password hands its slot back. A
 * check-then-count design lets a burst of 50 parallel guesses all pass the check while the slow
 * argon2 verifications run (issue 16: 40 of 40 evaluated). A success does not wipe the earlier
 * failures: that would reopen the window for the rest of a burst that contains the password.
 */
export function createAccountLockout(
  limiter: RateLimiter,
  config: Pick<Config, 'AUTH_LOCKOUT_MAX_FAILURES' | 'AUTH_LOCKOUT_WINDOW_SECONDS'>,
) {
  const windowSeconds = config.AUTH_LOCKOUT_WINDOW_SECONDS;
  const key = (email: string) => tokenDigest(email.trim().toLowerCase());
  return {
    /** Reserves one guess or throws 429 ACCOUNT_LOCKED; call `succeeded(guess)` after a correct password. */
    async reserveGuess(email: string) {
      const { slotId, retryAfterSeconds } = await limiter.claim(
        BUCKET,
        key(email),
        config.AUTH_LOCKOUT_MAX_FAILURES,
        windowSeconds,
      );
      if (!slotId)
        throw tooManyRequests(retryAfterSeconds, 'ACCOUNT_LOCKED', 'Too many failed sign-in attempts; try again later');
      return { slotId };
    },
    succeeded: (guess: { slotId: string }) => limiter.release(guess.slotId),
  };
}
export type AccountLockout = ReturnType<typeof createAccountLockout>;
