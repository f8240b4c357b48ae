import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Models } from '../../common/models';
import { forbidden, unauthorized } from '../http/app-error';

/** Scopes a service token can carry; a route names the ones it needs. */
export const SERVICE_SCOPES = ['notifications:send', 'notifications:read', 'verification-requests:create'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/** Service tokens are recognisable (and greppable in leaked logs) by their prefix. */
const PREFIX = 'svc_';

export interface ServiceContext {
  tokenId: string;
  name: string;
  scopes: string[];
}

/** The token is 32 random bytes, so a fast hash is enough: nothing to brute-force. */
export const hashServiceToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createServiceToken(models: Pick<Models, 'ServiceToken'>, input: { name: string; scopes: string[] }) {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const doc = await models.ServiceToken.create({ name: input.name, scopes: input.scopes, tokenHash: hashServiceToken(token) });
  return { token, id: doc._id };
}

export function getService(res: Response): ServiceContext | undefined {
  return res.locals.service as ServiceContext | undefined;
}

const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : '');
export const isServiceToken = (header: string | undefined) => bearer(header).startsWith(PREFIX);

/** Bearer service token → `res.locals.service`; revoked or unknown → 401, a missing scope → 403. */
export function authenticateService(deps: { models: Pick<Models, 'ServiceToken'>; scopes: ServiceScope[] }): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req.headers.authorization);
    if (!token.startsWith(PREFIX)) return next(unauthorized('A service token is required', 'UNAUTHORIZED'));
    try {
      const doc = await deps.models.ServiceToken.findOne({ tokenHash: hashServiceToken(token) }).lean();
      if (!doc || doc.revokedAt) return next(unauthorized('This service token is not valid', 'INVALID_SERVICE_TOKEN'));
      const missing = deps.scopes.filter((s) => !doc.scopes.includes(s));
      if (missing.length) return next(forbidden(`This service token lacks scope ${missing.join(', ')}`, 'INSUFFICIENT_SCOPE'));
      res.locals.service = { tokenId: doc._id, name: doc.name, scopes: doc.scopes } satisfies ServiceContext;
      // Best effort: last use is for operators, not for security decisions.
      void deps.models.ServiceToken.updateOne({ _id: doc._id }, { $set: { lastUsedAt: new Date() } }).catch(() => undefined);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * A route that internal systems and signed-in users may both call: a `svc_` bearer goes through
 * `authenticateService`, anything else through the user guard (`authenticate` from auth-context).
 * Handlers tell them apart with `getService(res)`.
 */
export function userOrService(deps: { requireUser: RequestHandler; models: Pick<Models, 'ServiceToken'>; scopes: ServiceScope[] }): RequestHandler {
  const service = authenticateService(deps);
  return (req, res, next) => (isServiceToken(req.headers.authorization) ? service : deps.requireUser)(req, res, next);
}
