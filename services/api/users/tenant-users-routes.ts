import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request } from 'express';
import { z } from 'zod';

import type { UserDoc } from '../../../adapters/models/user';
import { updateUser } from '../../../adapters/models/user-writes';
import { STAFF_ROLES } from '../../../domain/vocabulary/users';
import { inviteTenantStaff } from '../../../use-cases/users/invite-tenant-staff';
import { sendStaffWelcomeAgain, TENANT_STAFF_REASON } from '../../../use-cases/users/send-staff-welcome-again';
import { awaitsWelcome, MAX_WELCOME_RESENDS } from '../../../use-cases/users/staff-welcome';
import { type AuthContext, getAuth, requireRoles } from '../auth/auth-context';
import { type AuthKit, requestIdOf } from '../auth/auth-kit';
import { newPasswordSchema } from '../auth/password-policy';
import { createRateLimiter, rateLimit } from '../auth/rate-limiter';
import type { ApiDeps } from '../deps';
import { conflict, notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { personName } from '../http/safe-text';
import { changeUserRole } from './change-user-role';
import { changeUserStatus, reactivationStatus } from './change-user-status';
import { isActive, paged, pageOf, pageQuerySchema, tenantUserSchema, tenantUserView } from './user-views';

const name = personName;
const REASON = TENANT_STAFF_REASON;

/**
 * Seed 002 tenant user management: BANK_ADMIN only, inside its own tenant. The users managed
 * here are the tenant's staff (users holding a staff role); anyone else answers 404.
 */
export function tenantUsersRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models } = deps;
  const idParams = z.object({ id: z.uuid() });
  const guard = [kit.requireUser, requireRoles({ staffRoles: ['BANK_ADMIN'] })];
  const common = { tags: ['Auth'], security: ['bearer'], before: guard };
  // Each new staff member gets a welcome email naming the tenant: limited per tenant, so a
  // self-made organization cannot turn the platform's sender into a mail cannon (issue 22).
  const invitations = rateLimit(createRateLimiter({ models: deps.models, now: deps.now }), {
    bucket: 'staff-invitations-tenant',
    limit: deps.config.RATE_LIMIT_STAFF_INVITES_PER_TENANT,
    windowSeconds: 3600,
    key: (_req, res) => getAuth(res).tenantId ?? 'none',
  });

  async function findStaff(auth: AuthContext, id: string): Promise<UserDoc> {
    const user = (await models.User.findOne({
      _id: id,
      tenantId: auth.tenantId ?? '\0',
      staffRole: { $ne: null },
    }).lean()) as UserDoc | null;
    if (!user) throw notFound('User');
    return user;
  }

  async function setActive(req: Request, auth: AuthContext, user: UserDoc, active: boolean): Promise<UserDoc> {
    if (active === isActive(user)) return user;
    if (!active && user._id === auth.userId)
      throw conflict('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account');
    const to = active ? reactivationStatus(user) : 'inactive';
    return changeUserStatus(deps, {
      actorId: auth.userId,
      userId: user._id,
      to,
      reason: REASON,
      requestId: requestIdOf(req),
    });
  }

  const commandDeps = { ...deps, passwords: kit.passwords };
  const adminOf = (auth: AuthContext) => ({ userId: auth.userId, tenantId: auth.tenantId });

  const routes = [
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/v1/auth/users',
      summary: 'List the users of your tenant',
      request: { query: pageQuerySchema().extend({ role: z.enum(STAFF_ROLES).optional() }) },
      responses: {
        200: { description: 'One page of users', data: pageOf(tenantUserSchema) },
        403: { description: 'INSUFFICIENT_ROLE: BANK_ADMIN only' },
      },
      handler: async ({ query, res }) => {
        const auth = getAuth(res);
        const filter = { tenantId: auth.tenantId, staffRole: query.role ?? { $ne: null } };
        const [items, total] = await Promise.all([
          models.User.find(filter)
            .sort({ createdAt: 1, _id: 1 })
            .skip((query.page - 1) * query.limit)
            .limit(query.limit)
            .lean(),
          models.User.countDocuments(filter),
        ]);
        return { data: paged((items as UserDoc[]).map(tenantUserView), total, query.page, query.limit) };
      },
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/api/v1/auth/users',
      summary: 'Create a user in your tenant; they get a welcome email with a set-password link',
      description:
        'The new user receives a welcome email (notification `staff-welcome-<userId>`) with a single-use link, valid PASSWORD_SETUP_TTL_HOURS, ' +
        'to choose their password (POST /api/v1/auth/password/set). The email never contains a password. `password` is optional (seed 002 ' +
        'compatibility): without it the account cannot sign in until the link is used.',
      request: {
        body: z.object({
          email: z.email().max(254),
          password: newPasswordSchema().optional(),
          firstName: name,
          lastName: name,
          role: z.enum(STAFF_ROLES),
        }),
      },
      before: [...guard, invitations],
      responses: {
        201: {
          description:
            'Created. Also the answer to the same invitation sent again (same email, names and role, no password) while the person has not set a password: ' +
            'the welcome email is sent again (a request that failed with 503 after creating the user is safe to retry)',
          data: tenantUserSchema,
        },
        409: {
          description:
            'USER_ALREADY_EXISTS (another user, or one who set a password already), WELCOME_RESEND_LIMIT (an invitation retried after its welcome was sent 6 times)',
        },
        429: {
          description:
            'RATE_LIMITED: this tenant created RATE_LIMIT_STAFF_INVITES_PER_TENANT users (welcome emails) within the hour (see Retry-After)',
        },
      },
      handler: async ({ body, req, res }) => {
        const user = await inviteTenantStaff(commandDeps, adminOf(getAuth(res)), body, { requestId: requestIdOf(req) });
        return { status: 201, data: tenantUserView(user) };
      },
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: '/api/v1/auth/users/:id/welcome',
      summary: 'Send a staff member’s welcome email again (a new set-password link)',
      description:
        'For a staff member who has not set a password yet: the welcome email whose start failed is sent now, or a new one (notification ' +
        '`staff-welcome-<userId>-<n>`) with a fresh link that replaces the older one. Audited (`user.welcome_sent`); at most ' +
        `${MAX_WELCOME_RESENDS} resends per user, and counted in the tenant's invitation limit (RATE_LIMIT_STAFF_INVITES_PER_TENANT per hour).`,
      request: { params: idParams },
      before: [...guard, invitations],
      responses: {
        202: { description: 'The welcome email is on its way', data: z.object({ notificationId: z.string() }) },
        404: { description: 'No such user in your tenant' },
        409: {
          description: 'PASSWORD_ALREADY_SET (the user chose a password, or is deactivated), WELCOME_RESEND_LIMIT',
        },
        429: {
          description:
            'RATE_LIMITED: this tenant sent RATE_LIMIT_STAFF_INVITES_PER_TENANT welcome emails within the hour (see Retry-After)',
        },
      },
      handler: async ({ params, req, res }) => {
        const auth = getAuth(res);
        const user = await findStaff(auth, params.id);
        if (!awaitsWelcome(user))
          throw conflict('PASSWORD_ALREADY_SET', 'This user has a password (or is deactivated): no welcome to resend');
        const notificationId = await sendStaffWelcomeAgain(commandDeps, adminOf(auth), user, {
          why: 'welcome resent',
          requestId: requestIdOf(req),
        });
        return { status: 202, data: { notificationId } };
      },
    }),
    defineRoute({
      ...common,
      method: 'patch',
      path: '/api/v1/auth/users/:id',
      summary: 'Update a user’s details or role',
      request: {
        params: idParams,
        body: z
          .object({
            firstName: name.optional(),
            lastName: name.optional(),
            role: z.enum(STAFF_ROLES).optional(),
            isActive: z.boolean().optional(),
          })
          .strict(),
      },
      responses: {
        200: { description: 'Updated', data: tenantUserSchema },
        404: { description: 'No such user in your tenant' },
        409: {
          description:
            'CANNOT_DEACTIVATE_SELF (isActive: false on yourself) or CANNOT_DEMOTE_SELF (your own BANK_ADMIN role)',
        },
      },
      handler: async ({ params, body, req, res }) => {
        const auth = getAuth(res);
        let user = await findStaff(auth, params.id);
        if (body.role && body.role !== 'BANK_ADMIN' && user._id === auth.userId) {
          throw conflict('CANNOT_DEMOTE_SELF', 'You cannot remove your own BANK_ADMIN role');
        }
        const names = Object.fromEntries(
          Object.entries({ firstName: body.firstName, lastName: body.lastName }).filter(([, v]) => v !== undefined),
        );
        if (Object.keys(names).length) user = (await updateUser(models, user._id, { $set: names }))?.after ?? user;
        if (body.role)
          user = await changeUserRole(deps, {
            actorId: auth.userId,
            userId: user._id,
            to: { staffRole: body.role },
            reason: REASON,
            requestId: requestIdOf(req),
          });
        if (body.isActive !== undefined) user = await setActive(req, auth, user, body.isActive);
        return { data: tenantUserView(user) };
      },
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/api/v1/auth/users/:id',
      summary: 'Deactivate a user (soft delete; history is kept)',
      request: { params: idParams },
      responses: {
        200: { description: 'Deactivated', data: tenantUserSchema },
        404: { description: 'No such user in your tenant' },
        409: { description: 'CANNOT_DEACTIVATE_SELF' },
      },
      handler: async ({ params, req, res }) => {
        const auth = getAuth(res);
        return { data: tenantUserView(await setActive(req, auth, await findStaff(auth, params.id), false)) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
