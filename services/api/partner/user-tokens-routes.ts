import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { EmailTakenError, createUser } from '../../../adapters/identity/create-user';
import { isIsoCountryCode } from '../../../adapters/identity/country-codes';
import type { UserDoc } from '../../../adapters/models/user';
import type { AuthKit } from '../auth/auth-kit';
import { requestIdOf } from '../auth/auth-kit';
import { rateLimit } from '../auth/rate-limiter';
import type { ApiDeps } from '../deps';
import { conflict, forbidden } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { getApiClient, requireApiClient } from './api-client-auth';

const emailUnavailable = () => conflict('EMAIL_UNAVAILABLE', 'This email cannot be used with this client');

/**
 * Seed 003 `POST /api/user/tokens`: tokens for one of the client's tenant's end users, creating
 * the user if absent. Off per client unless an operator enabled it. Only plain end users of the
 * same tenant qualify: a partner can never mint tokens for staff, admins or another tenant's users.
 */
export function userTokensRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models, config } = deps;
  const routes = [
    defineRoute({
      method: 'post',
      path: '/api/user/tokens',
      summary: 'Generate tokens for a user of your tenant (partner API)',
      description: 'Creates the user if no user has this email. Disabled by default per API client (403 USER_TOKENS_DISABLED).',
      tags: ['Partner'],
      security: ['clientId'],
      before: [
        requireApiClient(models),
        (_req, res, next) =>
          next(getApiClient(res).userTokensEnabled ? undefined : forbidden('User token generation is not enabled for this client', 'USER_TOKENS_DISABLED')),
        rateLimit(kit.limiter, { bucket: 'user-tokens', limit: config.RATE_LIMIT_USER_TOKENS_PER_CLIENT, windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS, key: (_req, res) => getApiClient(res).clientId }),
      ],
      request: {
        body: z.object({
          email: z.email().max(254),
          countryIsoCode: z.string().refine(isIsoCountryCode, 'an ISO 3166-1 alpha-2 code such as NG'),
        }),
      },
      responses: {
        200: { description: 'Tokens', data: z.object({ accessToken: z.string(), refreshToken: z.string() }) },
        401: { description: 'INVALID_CLIENT' },
        403: { description: 'USER_TOKENS_DISABLED, or ACCOUNT_DEACTIVATED for a deactivated user' },
        409: { description: 'EMAIL_UNAVAILABLE: the email belongs to a user this client may not act for' },
      },
      handler: async ({ body, req, res }) => {
        const client = getApiClient(res);
        const email = body.email.toLowerCase();
        let user = (await models.User.findOne({ email }).lean()) as UserDoc | null;
        if (!user) {
          try {
            user = await createUser(models, {
              email,
              tenantId: client.tenantId,
              country: body.countryIsoCode,
              userType: 'user',
              role: 'retail',
              // The partner vouches for the email; identity checks come next.
              status: 'pending_verification',
            });
            await models.AuditEvent.create({
              actor: `client:${client.clientId}`,
              subject: user._id,
              tenantId: client.tenantId,
              action: 'user.created',
              from: null,
              to: { status: user.status },
              reason: 'POST /api/user/tokens',
              requestId: requestIdOf(req),
            });
          } catch (err) {
            if (!(err instanceof EmailTakenError)) throw err;
            user = (await models.User.findOne({ email }).lean()) as UserDoc | null;
          }
        }
        if (!user || user.tenantId !== client.tenantId || user.userType !== 'user' || user.staffRole) throw emailUnavailable();
        if (user.status === 'inactive') throw forbidden('This account has been deactivated', 'ACCOUNT_DEACTIVATED');
        const pair = await kit.sessions.start(user, `client:${client.clientId}`);
        return { data: { accessToken: pair.accessToken, refreshToken: pair.refreshToken } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
