import { createHash, randomUUID } from 'node:crypto';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { startNotification } from '../../../adapters/notifications/start-notification';
import { insertPendingNotifications } from '../../../adapters/notifications/pending-notifications';
import { readNotificationDeliveries } from '../../../adapters/notifications/delivery-ledger';
import { DELIVERY_STATUSES } from '../../../adapters/models/notification-delivery';
import { forEachBounded } from '../../../adapters/bounded-parallel';
import { taskQueues } from '../../../domain/task-queues';
import { CHANNELS, type NotificationEvent, type NotificationRequest } from '../../../domain/contracts/notify.contract';
import { isInternalAdmin, getAuth } from '../auth/auth-context';
import { authenticateService, getService, userOrService } from '../auth/service-auth';
import type { ApiDeps } from '../deps';
import { badRequest, notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';

const KYC_STATUSES = ['approved', 'declined', 'resubmission_requested', 'expired', 'review', 'pending'] as const;
type KycStatus = (typeof KYC_STATUSES)[number];

/** A KYC status becomes the event (and template) users receive. */
function kycEvent(status: KycStatus, reason?: string): { event: NotificationEvent; data: Record<string, string> } {
  const withReason: Record<string, string> = reason ? { reason } : {};
  switch (status) {
    case 'approved':
      return { event: 'kyc_approved', data: {} };
    case 'declined':
      return { event: 'kyc_declined', data: withReason };
    case 'resubmission_requested':
      return { event: 'kyc_resubmission', data: withReason };
    case 'expired':
      return { event: 'kyc_session_expired', data: {} };
    default:
      return { event: 'kyc_status_update', data: { status } };
  }
}

/** Same key from the same service for the same user → same notification id → sent once. */
function idempotentId(service: string, key: string, userId: string): string {
  const h = createHash('sha256').update(`kyc\0${service}\0${key}\0${userId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const kycBody = z
  .object({
    userIds: z.array(z.string().min(1).max(64)).min(1).max(500),
    status: z.enum(KYC_STATUSES),
    reason: z.string().min(1).max(300).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
    /** Repeating a request with the same key starts nothing new. */
    idempotencyKey: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/).optional(),
  })
  .meta({ id: 'KycNotificationRequest' });

const deliverySchema = z.object({
  channel: z.enum(CHANNELS),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  providerStatus: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  fallbackFor: z.array(z.enum(CHANNELS)).nullable(),
  sentAt: z.iso.datetime().nullable(),
  updatedAt: z.iso.datetime(),
});
const notificationSchema = z
  .object({
    notificationId: z.string(),
    userId: z.string(),
    event: z.string(),
    status: z.enum(['pending', 'sent', 'failed']),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    channels: z.array(deliverySchema),
  })
  .meta({ id: 'Notification' });

export function notificationsRouter(deps: ApiDeps, registry: OpenAPIRegistry, requireUser: RequestHandler) {
  const queue = taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications;
  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/notifications/kyc',
      summary: 'Push a KYC status update to one or many users (internal systems)',
      description: 'Service token with scope `notifications:send`. Each user gets one notification on their allowed channels; returns the ids to poll.',
      tags: ['Notifications'],
      security: ['serviceToken'],
      before: [authenticateService({ models: deps.models, scopes: ['notifications:send'] })],
      request: { body: kycBody },
      responses: {
        202: { description: 'Accepted', data: z.object({ notifications: z.array(z.object({ userId: z.string(), notificationId: z.string() })) }) },
        400: { description: 'Invalid request or unknown users (UNKNOWN_USERS)' },
      },
      handler: async ({ body, res }) => {
        const service = getService(res)!;
        const userIds = [...new Set(body.userIds)];
        // One `_id` read per user, not `{_id: {$in}}`: FerretDB pushes only an exact `{_id}` filter
        // down, so `$in` decoded every user of the collection on every batch (docs/performance.md).
        const unknown = new Set<string>();
        await forEachBounded(userIds, 25, async (id) => {
          if (!(await deps.models.User.exists({ _id: id }))) unknown.add(id);
        });
        const missing = userIds.filter((id) => unknown.has(id));
        if (missing.length) throw badRequest('UNKNOWN_USERS', 'Some users do not exist', { userIds: missing });

        const { event, data } = kycEvent(body.status, body.reason);
        const requests: (NotificationRequest & { source: string })[] = userIds.map((userId) => ({
          notificationId: body.idempotencyKey ? idempotentId(service.name, body.idempotencyKey, userId) : randomUUID(),
          userId,
          event,
          data,
          channels: body.channels,
          source: `service:${service.name}`,
        }));
        // What the 202 acknowledges must be readable at once: the pending record is written before the
        // workflow starts (the workflow's own insert of the same id is then a no-op duplicate).
        await insertPendingNotifications(deps.models, requests);
        await forEachBounded(requests, 25, (r) => startNotification(deps.temporal, queue, r));
        return { status: 202, data: { notifications: requests.map((r) => ({ userId: r.userId, notificationId: r.notificationId })) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/users/notifications/:notificationId',
      summary: 'A notification and its per-channel delivery status',
      description: 'The user it was sent to, an internal admin, or a service token with `notifications:read`.',
      tags: ['Notifications'],
      security: ['bearer', 'serviceToken'],
      before: [userOrService({ requireUser, models: deps.models, scopes: ['notifications:read'] })],
      request: { params: z.object({ notificationId: z.string().min(1).max(200) }) },
      responses: { 200: { description: 'The notification', data: notificationSchema }, 404: { description: 'Unknown (or not yours)' } },
      handler: async ({ params, res }) => {
        const doc = await deps.models.Notification.findById(params.notificationId).lean();
        if (!doc) throw notFound('Notification');
        if (!getService(res)) {
          const auth = getAuth(res);
          if (doc.userId !== auth.userId && !isInternalAdmin(auth)) throw notFound('Notification');
        }
        const deliveries = await readNotificationDeliveries(deps.models, doc._id);
        return {
          data: {
            notificationId: doc._id,
            userId: doc.userId,
            event: doc.event,
            status: doc.status ?? 'pending',
            createdAt: doc.createdAt.toISOString(),
            completedAt: doc.completedAt ? doc.completedAt.toISOString() : null,
            channels: deliveries.map((d) => ({
              channel: d.channel,
              status: d.status,
              attempts: d.attempts,
              providerStatus: d.providerStatus,
              error: d.error,
              fallbackFor: d.fallbackFor,
              sentAt: d.sentAt ? d.sentAt.toISOString() : null,
              updatedAt: d.updatedAt.toISOString(),
            })),
          },
        };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
