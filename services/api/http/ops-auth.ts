import { createHash, timingSafeEqual } from 'node:crypto';

import type { RequestHandler } from 'express';

import type { Config } from '../../../adapters/config';
import { AppError, unauthorized } from './app-error';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Operator endpoints: a bearer token compared in constant time; off entirely when unset. */
export function requireOpsToken(config: Pick<Config, 'OPS_TOKEN'>): RequestHandler {
  const expected = config.OPS_TOKEN ? digest(config.OPS_TOKEN) : undefined;
  return (req, _res, next) => {
    if (!expected) return next(new AppError(403, 'OPS_DISABLED', 'Operator endpoints are disabled: set OPS_TOKEN'));
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !timingSafeEqual(digest(token), expected))
      return next(unauthorized('A valid operator token is required'));
    next();
  };
}
