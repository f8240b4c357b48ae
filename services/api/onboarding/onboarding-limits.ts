import type { Request, RequestHandler } from 'express';

import { tokenDigest } from '../../../adapters/crypto/token-digest';
import { clientIp, createRateLimiter, rateLimit } from '../auth/rate-limiter';
import type { ApiDeps } from '../deps';

/** The address a sign-up request names, normalised as the body schema does; digested in keys. */
const emailKey = (req: Request) => {
  const raw = (req.body as { email?: unknown } | undefined)?.email;
  return tokenDigest(typeof raw === 'string' ? raw.trim().toLowerCase() : '');
};

/**
 * Registration and code resends email an address the caller chooses: limited per client IP (a
 * spam relay) and per address (mail-bombing one person from many IPs); confirmations are limited
 * the same way (guessing codes across addresses, or across one address's codes), in the database so the
 * limits hold across API instances and under bursts (slot inserts, see rate-limiter.ts).
 */
export function signupLimits(deps: ApiDeps): {
  register: RequestHandler[];
  resend: RequestHandler[];
  confirm: RequestHandler[];
} {
  const { config } = deps;
  const limiter = createRateLimiter({ models: deps.models, now: deps.now });
  const windowSeconds = config.RATE_LIMIT_SIGNUP_WINDOW_SECONDS;
  const pair = (name: string, perIp: number, perEmail: number) => [
    rateLimit(limiter, { bucket: `${name}-ip`, limit: perIp, windowSeconds, key: clientIp }),
    rateLimit(limiter, { bucket: `${name}-email`, limit: perEmail, windowSeconds, key: emailKey }),
  ];
  return {
    register: pair('register', config.RATE_LIMIT_REGISTER_PER_IP, config.RATE_LIMIT_REGISTER_PER_EMAIL),
    resend: pair('resend', config.RATE_LIMIT_RESEND_PER_IP, config.RATE_LIMIT_RESEND_PER_EMAIL),
    confirm: pair('confirm', config.RATE_LIMIT_CONFIRM_PER_IP, config.RATE_LIMIT_CONFIRM_PER_EMAIL),
  };
}
