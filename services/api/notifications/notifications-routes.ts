import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler } from 'express';
import { z } from 'zod';

import { DELIVERY_STATUSES } from '../../../adapters/models/notification-delivery';
import { readNotificationDeliveries } from '../../../adapters/notifications/delivery-ledger';
import { CHANNELS } from '../../../domain/contracts/notify.contract';
import {
  KYC_STATUSES,
  sendKycStatusNotifications,
} from '../../../use-cases/notifications/send-kyc-status-notifications';
import { getAuth, isInternalAdmin } from '../auth/auth-context';
import { authenticateService, getService, userOrService } from '../auth/service-auth';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';

const kycBody = z
  .object({
    userIds: z.array(z.string().min(1).max(64)).min(1).max(500),
    status: z.enum(KYC_STATUSES),
    reason: z.string().min(1).max(300).optional(),
    channels: z.array(z.enum(CHANNELS)).min(1).optional(),
    /** Repeating a request with the same key starts nothing new. */
    idempotencyKey: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/)
      .optional(),
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
  const routes = [
    defineRoute({
      method: 'post',
      path: '/users/notifications/kyc',
      summary: 'Push a KYC status update to one or many users (internal systems)',
      description:
        'Service token with scope `notifications:send`. Each user gets one notification on their allowed channels; returns the ids to poll.',
      tags: ['Notifications'],
      security: ['serviceToken'],
      before: [authenticateService({ models: deps.models, scopes: ['notifications:send'] })],
      request: { body: kycBody },
      responses: {
        202: {
          description: 'Accepted',
          data: z.object({ notifications: z.array(z.object({ userId: z.string(), notificationId: z.string() })) }),
        },
        400: { description: 'Invalid request or unknown users (UNKNOWN_USERS)' },
      },
      handler: async ({ body, res }) => {
        const notifications = await sendKycStatusNotifications(deps, getService(res)!, body);
        return { status: 202, data: { notifications } };
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
      responses: {
        200: { description: 'The notification', data: notificationSchema },
        404: { description: 'Unknown (or not yours)' },
      },
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
