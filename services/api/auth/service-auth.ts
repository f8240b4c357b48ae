import type { RequestHandler, Response } from 'express';

import {
  hashServiceToken,
  SERVICE_TOKEN_PREFIX as PREFIX,
  type ServiceScope,
} from '../../../adapters/identity/service-tokens';
import type { Models } from '../../../adapters/models';
import { forbidden, unauthorized } from '../http/app-error';

export interface ServiceContext {
  tokenId: string;
  name: string;
  scopes: string[];
}

export function getService(res: Response): ServiceContext | undefined {
  return res.locals.service as ServiceContext | undefined;
}

const bearer = (header: string | undefined) => (header?.startsWith('Bearer ') ? header.slice(7).trim() : '');
export const isServiceToken = (header: string | undefined) => bearer(header).startsWith(PREFIX);

/** Bearer service token → `res.locals.service`; revoked or unknown → 401, a missing scope → 403. */
export function authenticateService(deps: {
  models: Pick<Models, 'ServiceToken'>;
  scopes: ServiceScope[];
}): RequestHandler {
  return async (req, res, next) => {
    const token = bearer(req.headers.authorization);
    if (!token.startsWith(PREFIX)) return next(unauthorized('A service token is required', 'UNAUTHORIZED'));
    try {
      const doc = await deps.models.ServiceToken.findOne({ tokenHash: hashServiceToken(token) }).lean();
      if (!doc || doc.revokedAt) return next(unauthorized('This service token is not valid', 'INVALID_SERVICE_TOKEN'));
      const missing = deps.scopes.filter((s) => !doc.scopes.includes(s));
      if (missing.length)
        return next(forbidden(`This service token lacks scope ${missing.join(', ')}`, 'INSUFFICIENT_SCOPE'));
      res.locals.service = { tokenId: doc._id, name: doc.name, scopes: doc.scopes } satisfies ServiceContext;
      // Best effort: last use is for operators, not for security decisions. A `$set` of this one
      // field, so it cannot write back a `revokedAt` it read before a concurrent revoke (needs atomic
      // single-document updates: MongoDB, our FerretDB build; test/api/revocation-races.test.ts).
      void deps.models.ServiceToken.updateOne({ _id: doc._id }, { $set: { lastUsedAt: new Date() } }).catch(
        () => undefined,
      );
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
export function userOrService(deps: {
  requireUser: RequestHandler;
  models: Pick<Models, 'ServiceToken'>;
  scopes: ServiceScope[];
}): RequestHandler {
  const service = authenticateService(deps);
  return (req, res, next) => (isServiceToken(req.headers.authorization) ? service : deps.requireUser)(req, res, next);
}
