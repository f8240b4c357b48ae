import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { noteAnalyticsChange } from '../../../adapters/analytics/analytics-outbox';
import { findUserByEmail } from '../../../adapters/identity/find-user-by-email';
import type { UserDoc } from '../../../adapters/models/user';
import { updateUser } from '../../../adapters/models/user-writes';
import type { ApiDeps } from '../deps';
import { forbidden, unauthorized } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { getAuth } from './auth-context';
import type { AuthKit } from './auth-kit';
import { clientIp, rateLimit } from './rate-limiter';

export const tokenPairSchema = z
  .object({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int().meta({ example: 900 }) })
  .meta({ id: 'TokenPair' });

// One message for an unknown email and a wrong password, so responses cannot enumerate accounts.
const invalidCredentials = () => unauthorized('Email or password is incorrect', 'INVALID_CREDENTIALS');

/** Seed 002 sessions: login, refresh, logout (me: users/current-user-routes.ts). Login is the single login for every kind of user. */
export function authRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { config, models } = deps;
  const now = deps.now ?? (() => new Date());
  const windowSeconds = config.RATE_LIMIT_WINDOW_SECONDS;
  const routes = [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Authenticate and receive tokens',
      description:
        'Access tokens live 15 minutes (`expiresIn: 900`), refresh tokens 7 days. Limited per client IP and locked per account after repeated failures (429 ACCOUNT_LOCKED, Retry-After).',
      tags: ['Auth'],
      before: [
        rateLimit(kit.limiter, {
          bucket: 'login-ip',
          limit: config.RATE_LIMIT_LOGIN_PER_IP,
          windowSeconds,
          key: clientIp,
        }),
      ],
      request: { body: z.object({ email: z.string().trim().max(254), password: z.string().min(1).max(1024) }) },
      responses: {
        200: { description: 'Signed in', data: tokenPairSchema },
        401: { description: 'INVALID_CREDENTIALS: unknown email or wrong password (indistinguishable)' },
        403: { description: 'After a correct password only: EMAIL_NOT_CONFIRMED or ACCOUNT_DEACTIVATED' },
      },
      handler: async ({ body }) => {
        const email = body.email.toLowerCase();
        // The guess is counted before it is evaluated, so a burst cannot outrun the lockout.
        const guess = await kit.lockout.reserveGuess(email);
        const user = (await findUserByEmail(models, config, email)) as UserDoc | null;
        // An unknown email still costs one argon2 verification (dummy hash): no timing oracle.
        const ok = await kit.passwords.verify(user?.passwordHash, body.password);
        if (!user || !ok) throw invalidCredentials();
        await kit.lockout.succeeded(guess);
        if (user.status === 'inactive') throw forbidden('This account has been deactivated', 'ACCOUNT_DEACTIVATED');
        // Self-registered users confirm their email first (issue 4 sets emailVerifiedAt; status stays not_verified until KYC).
        if (user.status === 'not_verified' && !user.emailVerifiedAt)
          throw forbidden('Confirm your email address before signing in', 'EMAIL_NOT_CONFIRMED');
        const at = now();
        await updateUser(models, user._id, { $set: { lastLoginAt: at, lastActiveAt: at } });
        await noteAnalyticsChange(models, 'activity', user._id);
        return { data: await kit.sessions.start(user, 'password') };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/refresh',
      summary: 'Exchange a refresh token for a new token pair',
      description:
        'The presented refresh token is spent. Presenting a spent token again revokes the whole session (theft detection).',
      tags: ['Auth'],
      before: [
        rateLimit(kit.limiter, {
          bucket: 'refresh-ip',
          limit: config.RATE_LIMIT_REFRESH_PER_IP,
          windowSeconds,
          key: clientIp,
        }),
      ],
      request: { body: z.object({ refreshToken: z.string().min(1).max(512) }) },
      responses: {
        200: { description: 'New token pair', data: tokenPairSchema },
        401: { description: 'INVALID_REFRESH_TOKEN: unknown, expired, spent or revoked' },
      },
      handler: async ({ body }) => ({ data: await kit.sessions.refresh(body.refreshToken) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      summary: 'Sign out: revoke this session',
      description:
        'Revokes the session of the presented access token: its refresh tokens and access tokens stop working at once.',
      tags: ['Auth'],
      security: ['bearer'],
      before: [kit.requireUser],
      responses: { 200: { description: 'Signed out', data: z.object({ revoked: z.literal(true) }) } },
      handler: async ({ res }) => {
        await kit.sessions.revoke(getAuth(res).sessionId, 'logout');
        return { data: { revoked: true as const } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
