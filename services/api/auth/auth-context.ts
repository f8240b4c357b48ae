import type { RequestHandler, Response } from 'express';

import { noteAnalyticsChange } from '../../../adapters/analytics/analytics-outbox';
import type { Models } from '../../../adapters/models';
import { updateUser } from '../../../adapters/models/user-writes';
import type { StaffRole, UserRole, UserType } from '../../../domain/vocabulary/users';
import { forbidden, unauthorized } from '../http/app-error';
import { guardDocumenting } from '../http/route';
import { type AccessTokens, InvalidAccessToken } from './access-tokens';

/** Who is calling, as read from the user record (not just the token) on every request. */
export interface AuthContext {
  userId: string;
  tenantId: string | null;
  role: UserRole;
  userType: UserType;
  staffRole: StaffRole | null;
  sessionId: string;
}

export function getAuth(res: Response): AuthContext {
  const auth = res.locals.auth as AuthContext | undefined;
  if (!auth) throw unauthorized();
  return auth;
}

export const isInternalAdmin = (a: AuthContext) => a.userType === 'internal-admin';

/**
 * Bearer access token → AuthContext. The user is re-read so deactivation, a role change or a
 * status change (all bump tokenVersion) cut existing tokens off immediately; so does revoking
 * the token's session (logout, refresh-token reuse), and a token whose session does not exist.
 */
export function authenticate(deps: {
  models: Pick<Models, 'User' | 'DocumentLock' | 'AuthSession' | 'AnalyticsOutbox'>;
  accessTokens: AccessTokens;
  now?: () => Date;
}): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) return next(unauthorized('A bearer access token is required', 'UNAUTHORIZED'));
    try {
      const claims = await deps.accessTokens.verify(token);
      const [user, session] = await Promise.all([
        deps.models.User.findById(claims.userId, {
          tenantId: 1,
          role: 1,
          userType: 1,
          staffRole: 1,
          status: 1,
          tokenVersion: 1,
          lastActiveAt: 1,
        }).lean(),
        deps.models.AuthSession.findById(claims.sessionId, { revokedAt: 1, userId: 1 }).lean(),
      ]);
      // A token counts only inside a live session of the same user: no record, no access.
      const liveSession = session !== null && !session.revokedAt && session.userId === claims.userId;
      if (!user || user.status === 'inactive' || user.tokenVersion !== claims.tokenVersion || !liveSession) {
        return next(unauthorized('This token is no longer valid', 'TOKEN_REVOKED'));
      }
      await recordActivity(deps, user._id, user.lastActiveAt ?? null);
      res.locals.auth = {
        userId: user._id,
        tenantId: user.tenantId ?? null,
        role: user.role,
        userType: user.userType,
        staffRole: user.staffRole ?? null,
        sessionId: claims.sessionId,
      } satisfies AuthContext;
      next();
    } catch (err) {
      if (err instanceof InvalidAccessToken) {
        return next(
          unauthorized(
            err.reason === 'expired' ? 'The access token has expired' : 'The access token is invalid',
            err.reason === 'expired' ? 'TOKEN_EXPIRED' : 'INVALID_TOKEN',
          ),
        );
      }
      next(err);
    }
  };
}

/**
 * API activity for active-user analytics: at most one write (and one outbox note) per user per
 * UTC day, so authenticated traffic does not turn into database writes.
 */
async function recordActivity(
  deps: { models: Pick<Models, 'User' | 'DocumentLock' | 'AnalyticsOutbox'>; now?: () => Date },
  userId: string,
  last: Date | null,
) {
  const at = deps.now?.() ?? new Date();
  if (last && last.toISOString().slice(0, 10) === at.toISOString().slice(0, 10)) return;
  await updateUser(deps.models, userId, { $set: { lastActiveAt: at } });
  await noteAnalyticsChange(deps.models, 'activity', userId);
}

/** `roles_required`: the caller must be an internal admin or hold one of the staff roles listed. */
export function requireRoles(opts: { staffRoles?: StaffRole[]; userTypes?: UserType[] }): RequestHandler {
  const who = [...(opts.userTypes ?? []), ...(opts.staffRoles ?? [])].join(', ');
  return guardDocumenting(
    (_req, res, next) => {
      const auth = getAuth(res);
      const ok =
        (opts.userTypes ?? []).includes(auth.userType) ||
        (auth.staffRole !== null && (opts.staffRoles ?? []).includes(auth.staffRole));
      next(ok ? undefined : forbidden('Your role does not allow this', 'INSUFFICIENT_ROLE'));
    },
    { 403: `INSUFFICIENT_ROLE: only ${who}` },
  );
}
