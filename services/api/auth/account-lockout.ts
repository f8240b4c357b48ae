import type { Config } from '../../../adapters/config';
import { tokenDigest } from '../../../adapters/crypto/token-digest';
import { tooManyRequests } from '../http/app-error';
import type { RateLimiter } from './rate-limiter';

const BUCKET = 'login-failures';

/**
 * Per-account lockout (ASVS 2.2.1): after AUTH_LOCKOUT_MAX_FAILURES wrong passwords in a window
 * the account answers 429 until the window ends. Keyed by a digest of the email, whether or not
 * the account exists, so a lockout reveals nothing either.
 */
export function createAccountLockout(limiter: RateLimiter, config: Pick<Config, 'AUTH_LOCKOUT_MAX_FAILURES' | 'AUTH_LOCKOUT_WINDOW_SECONDS'>) {
  const windowSeconds = config.AUTH_LOCKOUT_WINDOW_SECONDS;
  const key = (email: string) => tokenDigest(email.trim().toLowerCase());
  return {
    async assertNotLocked(email: string) {
      const { count, retryAfterSeconds } = await limiter.peek(BUCKET, key(email), windowSeconds);
      if (count >= config.AUTH_LOCKOUT_MAX_FAILURES) {
        throw tooManyRequests(retryAfterSeconds, 'ACCOUNT_LOCKED', 'Too many failed sign-in attempts; try again later');
      }
    },
    recordFailure: (email: string) => limiter.hit(BUCKET, key(email), config.AUTH_LOCKOUT_MAX_FAILURES, windowSeconds),
    clear: (email: string) => limiter.reset(BUCKET, key(email), windowSeconds),
  };
}
export type AccountLockout = ReturnType<typeof createAccountLockout>;
