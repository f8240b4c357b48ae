import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Request, Response } from 'express';
import { z } from 'zod';

import { createOrgInvitation } from '../../../use-cases/org-invitations/create-org-invitation';
import { revokeOrgInvitation } from '../../../use-cases/org-invitations/revoke-org-invitation';
import type { ApiDeps } from '../deps';
import { defineRoute, routesRouter } from '../http/route';
import { getAuth, requireRoles } from './auth-context';
import { type AuthKit, requestIdOf } from './auth-kit';

const invitationSchema = z
  .object({
    id: z.string(),
    label: z.string().nullable(),
    maxUses: z.number().int(),
    remaining: z.number().int(),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OrgInvitation' });

type Stored = {
  _id: string;
  label?: string | null;
  maxUses: number;
  remaining: number;
  expiresAt: Date;
  revokedAt?: Date | null;
  createdAt: Date;
};
const view = (i: Stored) => ({
  id: i._id,
  label: i.label ?? null,
  maxUses: i.maxUses,
  remaining: i.remaining,
  expiresAt: new Date(i.expiresAt).toISOString(),
  revokedAt: i.revokedAt ? new Date(i.revokedAt).toISOString() : null,
  createdAt: new Date(i.createdAt).toISOString(),
});

/**
 * Retail invitations (issue 22, seed 000's org_id): a bank's BANK_ADMIN makes codes its customers
 * register with (`POST /users/register` with `org_id` + `invitationCode`), so they join the bank's
 * tenant as retail members and its compliance officers can ask them for BVN/NIN. The code is shown
 * once; only its digest is stored. Creating and revoking are audited.
 */
export function orgInvitationsRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models } = deps;
  const common = {
    tags: ['Auth'],
    security: ['bearer'],
    before: [kit.requireUser, requireRoles({ staffRoles: ['BANK_ADMIN'] })],
  };
  const commandDeps = { models, now: () => deps.now?.() ?? new Date() };
  // A BANK_ADMIN always has a tenant (its guard); the invitation commands act inside it.
  const adminOf = (req: Request, res: Response) => ({
    userId: getAuth(res).userId,
    tenantId: getAuth(res).tenantId!,
    requestId: requestIdOf(req),
  });

  const routes = [
    defineRoute({
      ...common,
      method: 'post',
      path: '/api/v1/auth/invitations',
      summary: 'Create a retail invitation code for your organization (shown once)',
      description:
        'Customers register with `POST /users/register` `{…, org_id: <your tenant id>, invitationCode}` and join your organization as retail ' +
        'members (never staff). `maxUses` registrations may use it until `expiresInHours` pass or it is revoked. Audited (`invitation.created`).',
      request: {
        body: z
          .object({
            maxUses: z.number().int().min(1).max(10_000).default(1),
            expiresInHours: z
              .number()
              .int()
              .min(1)
              .max(24 * 90)
              .default(24 * 7),
            label: z.string().trim().min(1).max(100).optional(),
          })
          .meta({ id: 'CreateOrgInvitationRequest' }),
      },
      responses: {
        201: {
          description: 'The invitation and its code (only now: it is stored as a digest)',
          data: invitationSchema.extend({ code: z.string(), tenantId: z.string() }),
        },
      },
      handler: async ({ body, req, res }) => {
        const admin = adminOf(req, res);
        const { invitation, code } = await createOrgInvitation(commandDeps, admin, body);
        return { status: 201, data: { ...view(invitation as Stored), code, tenantId: admin.tenantId } };
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: '/api/v1/auth/invitations',
      summary: 'Your organization’s retail invitations (without their codes)',
      responses: { 200: { description: 'Newest first', data: z.array(invitationSchema) } },
      handler: async ({ res }) => {
        const list = await models.OrgInvitation.find({ tenantId: getAuth(res).tenantId })
          .sort({ createdAt: -1 })
          .limit(500)
          .lean();
        return { data: list.map((i) => view(i as Stored)) };
      },
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: '/api/v1/auth/invitations/:id',
      summary: 'Revoke an invitation: registrations with its code answer 403 from now on',
      request: { params: z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) }) },
      responses: {
        200: { description: 'Revoked (revoking again changes nothing)', data: invitationSchema },
        404: { description: 'Not an invitation of your organization' },
      },
      handler: async ({ params, req, res }) => ({
        data: view((await revokeOrgInvitation(commandDeps, adminOf(req, res), params.id)) as Stored),
      }),
    }),
  ];
  return routesRouter(registry, '', routes);
}
