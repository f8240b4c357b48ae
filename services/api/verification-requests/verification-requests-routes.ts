import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler } from 'express';
import { z } from 'zod';

import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import type { VerificationRequestDoc } from '../../../adapters/models/verification-request';
import { findOverdueAndStuck, overdueFilter } from '../../../adapters/verification-queries';
import { IDENTITY_NUMBER_TYPES, VERIFICATION_STATUSES } from '../../../domain/contracts/verification-request.contract';
import { cancelVerificationRequest } from '../../../use-cases/verification-requests/cancel-verification-request';
import { createVerificationRequest } from '../../../use-cases/verification-requests/create-verification-request';
import { submitIdentityNumbers } from '../../../use-cases/verification-requests/submit-identity-numbers';
import { type AuthContext, getAuth, isInternalAdmin, requireRoles } from '../auth/auth-context';
import { getService, userOrService } from '../auth/service-auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import {
  stuckRequestSchema,
  toVerificationRequestView,
  verificationRequestSchema,
  type VerificationRequestView,
  withStuckFor,
} from './verification-request-view';

const identityNumber = z.string().regex(/^[0-9]{11}$/, 'must be exactly 11 digits');
const requestIdParams = z.object({ requestId: z.uuid() });

/**
 * Who may create and cancel requests: tenant compliance officers and bank admins, internal
 * admins. The one place to swap in the user-or-service-token combinator (service-auth.ts).
 */
export const verificationStaffGuard = (requireUser: RequestHandler): RequestHandler[] => [requireUser, staffRoles];
const staffRoles = requireRoles({ staffRoles: ['COMPLIANCE_OFFICER', 'BANK_ADMIN'], userTypes: ['internal-admin'] });

/** Creating a request: permitted staff, or an internal system with a scoped service token. */
const verificationCreatorGuard = (requireUser: RequestHandler, models: ApiDeps['models']): RequestHandler[] => [
  userOrService({ requireUser, models, scopes: ['verification-requests:create'] }),
  (req, res, next) => (getService(res) ? next() : staffRoles(req, res, next)),
];

/** Who created it, for the record and the audit trail; services act across tenants like internal admins. */
function creator(res: Parameters<RequestHandler>[1]): { actor: string; allTenants: boolean; tenantId: string | null } {
  const service = getService(res);
  if (service) return { actor: `service:${service.name}`, allTenants: true, tenantId: null };
  const auth = getAuth(res);
  return { actor: auth.userId, allTenants: isInternalAdmin(auth), tenantId: auth.tenantId };
}

/** What a caller may see: internal admins everything, tenant staff their tenant, users their own. */
function visibleTo(auth: AuthContext): Record<string, unknown> {
  if (isInternalAdmin(auth)) return {};
  if (auth.staffRole && auth.tenantId) return { tenantId: auth.tenantId };
  return { userId: auth.userId };
}

export function verificationRequestsRouter(deps: ApiDeps, registry: OpenAPIRegistry, requireUser: RequestHandler) {
  const { models, config } = deps;
  const now = () => deps.now?.() ?? new Date();
  const commandDeps = { ...deps, now, cipher: createFieldCipher(config.PII_ENCRYPTION_KEYS) };
  const staffOnly = verificationStaffGuard(requireUser);
  const view = (doc: VerificationRequestDoc) => toVerificationRequestView(doc, now());

  async function findVisible(requestId: string, auth: AuthContext) {
    const doc = await models.VerificationRequest.findOne({
      _id: requestId,
      ...visibleTo(auth),
    }).lean<VerificationRequestDoc>();
    if (!doc) throw notFound('Verification request');
    return doc;
  }

  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/notifications/verification-request',
      summary: 'Ask a user for their BVN and/or NIN',
      description:
        'Creates a VerificationRequest and starts its workflow: the user is notified, reminded on the tenant ladder (outside quiet hours) and the request expires at the due date. One open request per user and number type.',
      tags: ['Verification requests'],
      security: ['bearer', 'serviceToken'],
      before: verificationCreatorGuard(requireUser, models),
      request: {
        body: z.object({
          userId: z.string().min(1).max(64),
          types: z
            .array(z.enum(IDENTITY_NUMBER_TYPES))
            .min(1)
            .max(2)
            .refine((t) => new Set(t).size === t.length, 'types must not repeat'),
          reason: z.string().trim().min(1).max(500).optional(),
          dueAt: z.iso.datetime({ offset: true }).optional(),
        }),
      },
      responses: {
        202: { description: 'Request created; the user is being notified', data: verificationRequestSchema },
        403: { description: 'Not staff of a permitted role' },
        404: { description: 'No such user in your tenant' },
        409: { description: 'VERIFICATION_REQUEST_ALREADY_OPEN: an open request of that type exists' },
      },
      handler: async ({ body, req, res }) => {
        const doc = await createVerificationRequest(commandDeps, creator(res), body, { requestId: String(req.id) });
        return { status: 202, data: view(doc) };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/users/verification-requests/submit',
      summary: 'Submit the BVN/NIN a verification request asked for',
      description:
        'Only for your own requests. Numbers are 11 digits; they are encrypted before they are stored or enter the workflow, and only the last 3 digits are ever shown.',
      tags: ['Verification requests'],
      security: ['bearer'],
      before: [requireUser],
      request: {
        body: z.object({ requestId: z.uuid(), bvn: identityNumber.optional(), nin: identityNumber.optional() }),
      },
      responses: {
        202: {
          description: 'Accepted; verification runs in the background',
          data: z.object({ requestId: z.uuid(), status: z.enum(VERIFICATION_STATUSES), attempt: z.number().int() }),
        },
        400: { description: 'MISSING_IDENTITY_NUMBER / UNEXPECTED_IDENTITY_NUMBER / VALIDATION_ERROR' },
        404: { description: 'No such request of yours' },
        409: { description: 'VERIFICATION_REQUEST_CLOSED, VERIFICATION_IN_PROGRESS or RESUBMISSION_LIMIT_REACHED' },
      },
      // Rejections (closed, in progress, limit) become 409s through the failure table.
      handler: async ({ body, res }) => ({
        status: 202,
        data: await submitIdentityNumbers(commandDeps, getAuth(res).userId, body),
      }),
    }),

    defineRoute({
      method: 'get',
      path: '/users/verification-requests',
      summary: 'List verification requests',
      description:
        'Users see their own; tenant staff their tenant’s; internal admins all. `overdue=true`: still waiting for the user past the due date.',
      tags: ['Verification requests'],
      security: ['bearer'],
      before: [requireUser],
      request: {
        query: z.object({
          status: z.enum(VERIFICATION_STATUSES).optional(),
          type: z.enum(IDENTITY_NUMBER_TYPES).optional(),
          userId: z.string().min(1).max(64).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
        }),
      },
      responses: {
        200: {
          description: 'Newest first',
          data: z.object({
            items: z.array(verificationRequestSchema),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
        },
      },
      handler: async ({ query, res }) => {
        const auth = getAuth(res);
        const filter: Record<string, unknown> = {
          ...(query.userId ? { userId: query.userId } : {}),
          ...visibleTo(auth),
        };
        if (query.status) filter.status = query.status;
        if (query.type) filter.types = query.type;
        if (query.overdue === 'true') Object.assign(filter, overdueFilter(now()));
        const [docs, total] = await Promise.all([
          models.VerificationRequest.find(filter)
            .sort({ createdAt: -1 })
            .skip(query.offset)
            .limit(query.limit)
            .lean<VerificationRequestDoc[]>(),
          models.VerificationRequest.countDocuments(filter),
        ]);
        return { data: { items: docs.map(view), total, limit: query.limit, offset: query.offset } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/users/verification-requests/:requestId',
      summary: 'Read one verification request (numbers masked to the last 3 digits)',
      tags: ['Verification requests'],
      security: ['bearer'],
      before: [requireUser],
      request: { params: requestIdParams },
      responses: {
        200: { description: 'The request and its transitions', data: verificationRequestSchema },
        404: { description: 'Unknown, or not visible to you' },
      },
      handler: async ({ params, res }) => ({ data: view(await findVisible(params.requestId, getAuth(res))) }),
    }),

    defineRoute({
      method: 'post',
      path: '/users/verification-requests/:requestId/cancel',
      summary: 'Cancel an open verification request (staff)',
      tags: ['Verification requests'],
      security: ['bearer'],
      before: staffOnly,
      request: { params: requestIdParams, body: z.object({ reason: z.string().trim().min(1).max(500).optional() }) },
      responses: {
        202: {
          description: 'Cancellation sent; reminders stop at once',
          data: z.object({ requestId: z.uuid(), cancelRequested: z.literal(true) }),
        },
        404: { description: 'Unknown, or not in your tenant' },
        409: { description: 'VERIFICATION_REQUEST_CLOSED' },
      },
      handler: async ({ params, body, res }) => {
        const auth = getAuth(res);
        const doc = await findVisible(params.requestId, auth);
        await cancelVerificationRequest(deps, doc, { actor: auth.userId, reason: body.reason });
        return { status: 202, data: { requestId: doc._id, cancelRequested: true as const } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/admin/verification-requests/stuck',
      summary: 'Overdue and stuck verification requests (internal admins)',
      description:
        'overdue: waiting for the user past the due date; stuck: submitted/verifying longer than VERIFICATION_STUCK_AFTER_MINUTES. Same list as the Temporal UI queries in the README.',
      tags: ['Verification requests', 'Operations'],
      security: ['bearer'],
      before: [requireUser, requireRoles({ userTypes: ['internal-admin'] })],
      request: {
        query: z.object({
          tenantId: z.string().min(1).max(64).optional(),
          stuckAfterMinutes: z.coerce.number().int().min(1).max(100_000).optional(),
        }),
      },
      responses: {
        200: {
          description:
            'Oldest first; each entry says since when (`stuckSince`: the due date for overdue, `statusAt` for stuck) and for how long (`stuckForSeconds`)',
          data: z.object({
            overdue: z.array(stuckRequestSchema),
            stuck: z.array(stuckRequestSchema),
            stuckAfterMinutes: z.number().int(),
          }),
        },
      },
      handler: async ({ query }) => {
        const stuckAfterMinutes = query.stuckAfterMinutes ?? config.VERIFICATION_STUCK_AFTER_MINUTES;
        const ids = await findOverdueAndStuck(models, {
          now: now(),
          stuckAfterMinutes,
          tenantId: query.tenantId,
          limit: 200,
        });
        const at = now();
        const load = async (list: { _id: string }[], since: (v: VerificationRequestView) => string) =>
          (
            await models.VerificationRequest.find({ _id: { $in: list.map((d) => d._id) } }).lean<
              VerificationRequestDoc[]
            >()
          )
            .map(view)
            .map((v) => withStuckFor(v, since(v), at));
        return {
          data: {
            overdue: await load(ids.overdue, (v) => v.dueAt),
            stuck: await load(ids.stuck, (v) => v.statusAt),
            stuckAfterMinutes,
          },
        };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
