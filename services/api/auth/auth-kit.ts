import type { Request } from 'express';

import { createPasswordHasher } from '../../../adapters/crypto/passwords';
import type { ApiDeps } from '../deps';
import { createAccessTokens } from './access-tokens';
import { createAccountLockout } from './account-lockout';
import { authenticate } from './auth-context';
import { createRateLimiter } from './rate-limiter';
import { createSessions } from './sessions';

/** Identity building blocks, built once per app and handed to the routers that need them. */
export function createAuthKit(deps: ApiDeps) {
  const accessTokens = createAccessTokens(deps.config);
  const limiter = createRateLimiter({ models: deps.models, now: deps.now });
  return {
    accessTokens,
    requireUser: authenticate({ models: deps.models, accessTokens, now: deps.now }),
    passwords: createPasswordHasher(deps.config),
    sessions: createSessions({
      models: deps.models,
      config: deps.config,
      accessTokens,
      logger: deps.logger,
      now: deps.now,
    }),
    limiter,
    lockout: createAccountLockout(limiter, deps.config),
  };
}
export type AuthKit = ReturnType<typeof createAuthKit>;

/** The request id (echoed as X-Request-Id) that audit events carry. */
export const requestIdOf = (req: Request): string | null => {
  const id = (req as { id?: unknown }).id;
  return id === undefined ? null : String(id);
};
