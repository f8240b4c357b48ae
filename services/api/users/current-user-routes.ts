import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import type { UserDoc } from '../../../adapters/models/user';
import { getAuth } from '../auth/auth-context';
import type { AuthKit } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { AppError } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { tenantUserSchema, tenantUserView } from './user-views';

const tenantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    logoUrl: z.string().nullable(),
    primaryColor: z.string().nullable(),
  })
  .meta({ id: 'Tenant' });

/** Seed 002 `GET /api/v1/auth/me`: the signed-in user's record in the tenant user shape, with its tenant. */
export function currentUserRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models } = deps;
  const routes = [
    defineRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      summary: 'The signed-in user, with the tenant',
      tags: ['Auth'],
      security: ['bearer'],
      before: [kit.requireUser],
      responses: {
        200: { description: 'Current user', data: tenantUserSchema.extend({ tenant: tenantSchema.nullable() }) },
      },
      handler: async ({ res }) => {
        const auth = getAuth(res);
        const user = (await models.User.findById(auth.userId).lean()) as UserDoc | null;
        if (!user) throw new AppError(401, 'TOKEN_REVOKED', 'This token is no longer valid');
        const org = user.tenantId ? await models.Organization.findById(user.tenantId).lean() : null;
        const tenant = org
          ? {
              id: org._id,
              name: org.name,
              slug: org.slug,
              logoUrl: org.logoUrl ?? null,
              primaryColor: org.primaryColor ?? null,
            }
          : null;
        return { data: { ...tenantUserView(user), tenant } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
