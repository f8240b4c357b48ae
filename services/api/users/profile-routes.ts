import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler } from 'express';
import { z } from 'zod';

import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import type { UserDoc } from '../../../adapters/models/user';
import { ID_TYPES, STAFF_ROLES, USER_ROLES, USER_STATUSES, USER_TYPES } from '../../../domain/vocabulary/users';
import { updateProfile } from '../../../use-cases/users/update-profile';
import { type AuthContext, getAuth, isInternalAdmin, requireRoles } from '../auth/auth-context';
import type { AuthKit } from '../auth/auth-kit';
import { requestIdOf } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { badRequest, forbidden } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { personName } from '../http/safe-text';
import { changeUserRole, type RoleFields } from './change-user-role';
import { changeUserStatus } from './change-user-status';
import { dateOfBirthSchema, dateOfBirthShown } from './date-of-birth-field';
import { reopensKyc, startReopenedOnboarding } from './reopen-kyc';
import { findVisibleUser, visibleScope } from './user-access';
import { addressInputSchema, paged, pageOf, pageQuerySchema, profileSchema, profileView } from './user-views';

const reason = z.string().trim().min(3).max(500);

const profileUpdateSchema = z.object({
  firstName: personName.optional(),
  lastName: personName.optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +2348012345678')
    .nullable()
    .optional(),
  dateOfBirth: dateOfBirthSchema().optional(),
  address: addressInputSchema.nullable().optional(),
  idDocuments: z
    .array(
      z.object({
        type: z.enum(ID_TYPES),
        number: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9 -]{4,40}$/),
        issuingCountry: z.string().length(2).optional(),
        expiresOn: z.iso.date().optional(),
      }),
    )
    .max(10)
    .optional(),
});
const MUTABLE = new Set(Object.keys(profileUpdateSchema.shape));

/** PUT takes profile fields only; role, status and the rest have their own audited endpoints. */
const rejectImmutableFields: RequestHandler = (req, _res, next) => {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const rejected = Object.keys(body).filter((k) => !MUTABLE.has(k));
  if (rejected.length === 0) return next();
  next(
    badRequest('FIELD_NOT_MUTABLE', `Field "${rejected[0]}" cannot be changed here`, {
      fields: rejected,
      mutable: [...MUTABLE],
    }),
  );
};

const ELEVATED_ROLES: readonly string[] = ['admin', 'super-admin'];

/**
 * Who may change roles (docs/roles.md): internal admins change anything, but only a super-admin
 * grants or touches admin/super-admin/internal-admin; a BANK_ADMIN changes the staff role of
 * other staff of its own tenant, nothing else.
 */
function assertMayChangeRoles(auth: AuthContext, target: UserDoc, to: RoleFields) {
  if (isInternalAdmin(auth)) {
    const elevated =
      target.userType === 'internal-admin' ||
      ELEVATED_ROLES.includes(target.role) ||
      to.userType === 'internal-admin' ||
      ELEVATED_ROLES.includes(to.role ?? '');
    if (elevated && auth.role !== 'super-admin')
      throw forbidden('Only a super-admin can grant or change administrator roles', 'SUPER_ADMIN_REQUIRED');
    return;
  }
  const tenantAdmin = auth.staffRole === 'BANK_ADMIN' && auth.tenantId !== null && target.tenantId === auth.tenantId;
  const staffRoleOnly =
    to.role === undefined && to.userType === undefined && Boolean(to.staffRole) && target.staffRole !== null;
  if (!tenantAdmin || !staffRoleOnly) throw forbidden('Your role does not allow this change', 'INSUFFICIENT_ROLE');
  if (target._id === auth.userId) throw forbidden('You cannot change your own role', 'CANNOT_CHANGE_OWN_ROLE');
}

/** Seed 000 profile surface. Mount LAST among /users routers: `/users/:userId` would capture siblings. */
export function profileRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models } = deps;
  const userParams = z.object({ userId: z.uuid() });
  const cipher = createFieldCipher(deps.config.PII_ENCRYPTION_KEYS);
  const common = { tags: ['Users'], security: ['bearer'] };
  const anyStaff = requireRoles({ userTypes: ['internal-admin'], staffRoles: [...STAFF_ROLES] });
  const view = (u: UserDoc, auth: AuthContext) => profileView(u, dateOfBirthShown(cipher, u, auth.userId));

  const routes = [
    defineRoute({
      ...common,
      method: 'get',
      path: '/users',
      summary: 'List users (internal admins: all; tenant staff: their tenant)',
      before: [kit.requireUser, anyStaff],
      request: {
        query: pageQuerySchema().extend({
          status: z.enum(USER_STATUSES).optional(),
          role: z.enum(USER_ROLES).optional(),
          userType: z.enum(USER_TYPES).optional(),
          staffRole: z.enum(STAFF_ROLES).optional(),
          country: z.string().length(2).toUpperCase().optional(),
          email: z.email().toLowerCase().optional(),
          tenantId: z.uuid().optional().meta({ description: 'Internal admins only; ignored for tenant staff' }),
        }),
      },
      responses: { 200: { description: 'One page of users', data: pageOf(profileSchema) } },
      handler: async ({ query, res }) => {
        const auth = getAuth(res);
        const { page, limit, ...filters } = query;
        const filter = {
          ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
          ...visibleScope(auth),
        };
        const [items, total] = await Promise.all([
          models.User.find(filter)
            .sort({ createdAt: -1, _id: 1 })
            .skip((page - 1) * limit)
            .limit(limit)
            .lean(),
          models.User.countDocuments(filter),
        ]);
        return {
          data: paged(
            (items as UserDoc[]).map((u) => view(u, auth)),
            total,
            page,
            limit,
          ),
        };
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/users/:userId',
      summary: 'Read a user profile (self, staff of the same tenant, internal admins)',
      before: [kit.requireUser],
      request: { params: userParams },
      responses: {
        200: { description: 'The profile', data: profileSchema },
        404: { description: 'No such user visible to you' },
      },
      handler: async ({ params, res }) => {
        const auth = getAuth(res);
        return { data: view(await findVisibleUser(models, auth, params.userId), auth) };
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/users/:userId',
      summary: 'Update profile fields (name, phone, date of birth, address, ID documents)',
      description:
        'Any other field (role, status, email, …) is rejected with 400 FIELD_NOT_MUTABLE naming it. Self, internal admins and the tenant’s BANK_ADMIN may update. ' +
        'The date of birth (needed to match BVN/NIN) is stored encrypted, every change is audited (`user.date_of_birth_changed`, without the date), ' +
        'and once an identity check verified it, changing it answers 409 DATE_OF_BIRTH_LOCKED.',
      before: [kit.requireUser, rejectImmutableFields],
      request: { params: userParams, body: profileUpdateSchema },
      responses: {
        200: { description: 'Updated profile', data: profileSchema },
        404: { description: 'No such user visible to you' },
        409: { description: 'DATE_OF_BIRTH_LOCKED: an identity check verified the date of birth' },
      },
      handler: async ({ params, body, req, res }) => {
        const auth = getAuth(res);
        const user = await findVisibleUser(models, auth, params.userId);
        const mayEdit = auth.userId === user._id || isInternalAdmin(auth) || auth.staffRole === 'BANK_ADMIN';
        if (!mayEdit) throw forbidden('Your role does not allow editing this profile', 'INSUFFICIENT_ROLE');
        const updated = await updateProfile(
          { models, cipher },
          { userId: auth.userId, requestId: requestIdOf(req) },
          user,
          body,
        );
        return { data: view(updated, auth) };
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/users/:userId/role',
      summary: 'Change a user’s platform role, user type or tenant staff role (audited)',
      description:
        'Internal admins (super-admin for administrator roles) or the tenant’s BANK_ADMIN for staff roles. Existing tokens of the user stop working.',
      before: [kit.requireUser],
      request: {
        params: userParams,
        body: z
          .object({
            role: z.enum(USER_ROLES).optional(),
            userType: z.enum(USER_TYPES).optional(),
            staffRole: z.enum(STAFF_ROLES).nullable().optional(),
            reason,
          })
          .strict()
          .refine(
            (b) => b.role !== undefined || b.userType !== undefined || b.staffRole !== undefined,
            'give role, userType or staffRole',
          )
          // The "at least one of" rule, stated in the spec too (a refine alone is invisible there).
          .openapi({
            anyOf: [{ required: ['role'] }, { required: ['userType'] }, { required: ['staffRole'] }],
          } as never),
      },
      responses: {
        200: { description: 'Updated profile', data: profileSchema },
        403: { description: 'INSUFFICIENT_ROLE, SUPER_ADMIN_REQUIRED or CANNOT_CHANGE_OWN_ROLE' },
        404: { description: 'No such user visible to you' },
      },
      handler: async ({ params, body, req, res }) => {
        const auth = getAuth(res);
        const user = await findVisibleUser(models, auth, params.userId);
        const { reason: why, ...to } = body;
        assertMayChangeRoles(auth, user, to);
        const updated = await changeUserRole(deps, {
          actorId: auth.userId,
          userId: user._id,
          to,
          reason: why,
          requestId: requestIdOf(req),
        });
        return { data: profileView(updated) };
      },
    }),
    defineRoute({
      ...common,
      method: 'put',
      path: '/users/:userId/status',
      summary: 'Change a user’s status (internal admins, audited)',
      description:
        '`inactive` deactivates (tokens stop working at once); any other status reactivates or moves the user. ' +
        '`rejected` → `not_verified` reopens KYC for a self-registered, confirmed user: a new onboarding run starts at the identity ' +
        'verification step with a fresh resubmission allowance (the only way back after a rejection; registering again answers 409 ACCOUNT_REJECTED).',
      before: [kit.requireUser, requireRoles({ userTypes: ['internal-admin'] })],
      request: { params: userParams, body: z.object({ status: z.enum(USER_STATUSES), reason }).strict() },
      responses: {
        200: { description: 'Updated profile', data: profileSchema },
        403: { description: 'INSUFFICIENT_ROLE: internal admins only, or CANNOT_CHANGE_OWN_STATUS' },
        404: { description: 'No such user' },
      },
      handler: async ({ params, body, req, res }) => {
        const auth = getAuth(res);
        const user = await findVisibleUser(models, auth, params.userId);
        if (user._id === auth.userId) throw forbidden('You cannot change your own status', 'CANNOT_CHANGE_OWN_STATUS');
        const requestId = requestIdOf(req);
        const updated = await changeUserStatus(deps, {
          actorId: auth.userId,
          userId: user._id,
          to: body.status,
          reason: body.reason,
          requestId,
        });
        if (reopensKyc(user.status, body.status, user)) await startReopenedOnboarding(deps, user._id, requestId);
        return { data: profileView(updated) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
