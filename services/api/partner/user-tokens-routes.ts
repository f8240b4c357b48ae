import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { isIsoCountryCode } from '../../../adapters/identity/country-codes';
import { findOrCreatePartnerUser } from '../../../use-cases/partner-kyc/partner-users';
import { type AuthKit, requestIdOf } from '../auth/auth-kit';
import { rateLimit } from '../auth/rate-limiter';
import type { ApiDeps } from '../deps';
import { forbidden } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { getApiClient, requireApiClient } from './api-client-auth';

/**
 * Seed 003 `POST /api/user/tokens`: tokens for one of the client's tenant's end users, creating
 * the user if absent. Off per client unless an operator enabled it. Only plain end users of the
 * same tenant qualify: a partner can never mint tokens for staff, admins or another tenant's users.
 * Answers the seed's own shape `{accessToken, refreshToken}` (no envelope); errors keep the envelope.
 */
export function userTokensRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models, config } = deps;
  const routes = [
    defineRoute({
      method: 'post',
      path: '/api/user/tokens',
      summary: 'Generate tokens for a user of your tenant (partner API)',
      description:
        "Creates the user if no user has this email. Disabled by default per API client (403 USER_TOKENS_DISABLED). The body is the seed's `{accessToken, refreshToken}`, without the `{success, data}` envelope.",
      tags: ['Partner'],
      security: ['clientId'],
      before: [
        requireApiClient(models),
        (_req, res, next) =>
          next(
            getApiClient(res).userTokensEnabled
              ? undefined
              : forbidden('User token generation is not enabled for this client', 'USER_TOKENS_DISABLED'),
          ),
        rateLimit(kit.limiter, {
          bucket: 'user-tokens',
          limit: config.RATE_LIMIT_USER_TOKENS_PER_CLIENT,
          windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
          key: (_req, res) => getApiClient(res).clientId,
        }),
      ],
      request: {
        body: z
          .object({
            email: z.email().max(254),
            countryIsoCode: z.string().refine(isIsoCountryCode, 'an ISO 3166-1 alpha-2 code such as NG'),
          })
          .meta({ example: { email: 'user@example.com', countryIsoCode: 'NG' } }),
      },
      responses: {
        200: {
          description: 'Successfully generated user tokens',
          raw: {
            contentType: 'application/json',
            schema: z.object({ accessToken: z.string(), refreshToken: z.string() }).meta({
              example: {
                accessToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...',
                refreshToken: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...',
              },
            }),
          },
        },
        401: { description: 'INVALID_CLIENT' },
        403: { description: 'USER_TOKENS_DISABLED, or ACCOUNT_DEACTIVATED for a deactivated user' },
        409: { description: 'EMAIL_UNAVAILABLE: the email belongs to a user this client may not act for' },
      },
      handler: async ({ body, req, res }) => {
        const client = getApiClient(res);
        const user = await findOrCreatePartnerUser(models, client, {
          email: body.email,
          country: body.countryIsoCode,
          requestId: requestIdOf(req),
          reason: 'POST /api/user/tokens',
        });
        const pair = await kit.sessions.start(user, `client:${client.clientId}`);
        return { bare: true, data: { accessToken: pair.accessToken, refreshToken: pair.refreshToken } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
