import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { getAuth, isInternalAdmin, requireRoles } from '../auth/auth-context';
import type { AuthKit } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { defineRoute, routesRouter } from '../http/route';
import { paged, pageOf, pageQuerySchema } from './user-views';

const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    subject: z.string(),
    tenantId: z.string().nullable(),
    action: z.string(),
    from: z.unknown(),
    to: z.unknown(),
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

/** Audit read-back: AUDITOR within its tenant, internal admins everywhere. Newest first. */
export function auditRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const routes = [
    defineRoute({
      method: 'get',
      path: '/audit-events',
      summary: 'Read the audit trail (role/status changes, user creation)',
      tags: ['Audit'],
      security: ['bearer'],
      before: [kit.requireUser, requireRoles({ userTypes: ['internal-admin'], staffRoles: ['AUDITOR'] })],
      request: {
        query: pageQuerySchema().extend({
          subject: z.string().max(100).optional(),
          actor: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
          tenantId: z
            .uuid()
            .optional()
            .meta({ description: 'Internal admins only; auditors always see their own tenant' }),
        }),
      },
      responses: { 200: { description: 'One page of audit events', data: pageOf(auditEventSchema) } },
      handler: async ({ query, res }) => {
        const auth = getAuth(res);
        const { page, limit, ...filters } = query;
        const filter: Record<string, unknown> = Object.fromEntries(
          Object.entries(filters).filter(([, v]) => v !== undefined),
        );
        if (!isInternalAdmin(auth)) filter.tenantId = auth.tenantId;
        const [items, total] = await Promise.all([
          deps.models.AuditEvent.find(filter)
            .sort({ at: -1, _id: 1 })
            .skip((page - 1) * limit)
            .limit(limit)
            .lean(),
          deps.models.AuditEvent.countDocuments(filter),
        ]);
        const view = items.map((e) => ({
          id: e._id,
          at: e.at.toISOString(),
          actor: e.actor,
          subject: e.subject,
          tenantId: e.tenantId ?? null,
          action: e.action,
          from: e.from ?? null,
          to: e.to ?? null,
          reason: e.reason ?? null,
          requestId: e.requestId ?? null,
        }));
        return { data: paged(view, total, page, limit) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
