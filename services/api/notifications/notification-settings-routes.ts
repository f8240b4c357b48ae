import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';

import { type DeviceEntry, MAX_DEVICES_PER_USER } from '../../../adapters/models/device';
import { TRANSACTIONAL_EVENTS } from '../../../domain/contracts/notify.contract';
import {
  readNotificationPreferences,
  updateNotificationPreferences,
} from '../../../use-cases/notifications/notification-preferences';
import {
  listPushDevices,
  registerPushDevice,
  unregisterPushDevice,
} from '../../../use-cases/notifications/push-devices';
import { getAuth, isInternalAdmin } from '../auth/auth-context';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';

const userParams = z.object({ userId: z.string().min(1).max(64) });
const preferencesSchema = z
  .object({
    userId: z.string(),
    channels: z.object({ email: z.boolean(), sms: z.boolean(), push: z.boolean() }),
    language: z.string(),
    transactionalEvents: z.array(z.string()).describe('Always sent, whatever the channel opt-outs say'),
  })
  .meta({ id: 'NotificationPreferences' });
const deviceSchema = z
  .object({ deviceId: z.string(), platform: z.enum(['ios', 'android', 'web']), createdAt: z.iso.datetime() })
  .meta({ id: 'Device' });

/** Self or an internal admin; anyone else gets 404 so user ids do not leak. */
function ownUser(res: Response, userId: string) {
  const auth = getAuth(res);
  if (auth.userId !== userId && !isInternalAdmin(auth)) throw notFound('User');
  return auth;
}

/** Per-user channel consent and push device registration. */
export function notificationSettingsRouter(deps: ApiDeps, registry: OpenAPIRegistry, requireUser: RequestHandler) {
  const deviceView = (d: DeviceEntry) => ({
    deviceId: d._id,
    platform: d.platform,
    createdAt: new Date(d.createdAt).toISOString(),
  });

  const routes = [
    defineRoute({
      method: 'get',
      path: '/users/:userId/notification-preferences',
      summary: 'Channel preferences (opt-outs) of a user',
      description: `Transactional messages (${TRANSACTIONAL_EVENTS.join(', ')}) are sent whatever these say.`,
      tags: ['Notifications'],
      security: ['bearer'],
      before: [requireUser],
      request: { params: userParams },
      responses: {
        200: { description: 'Preferences (defaults if never set)', data: preferencesSchema },
        404: { description: 'Unknown user' },
      },
      handler: async ({ params, res }) => {
        ownUser(res, params.userId);
        return { data: await readNotificationPreferences(deps, params.userId) };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/users/:userId/notification-preferences',
      summary: 'Opt in or out of channels, choose the message language',
      description: `Opting out never stops transactional messages (${TRANSACTIONAL_EVENTS.join(', ')}): verification codes and regulator-required identity-number requests.`,
      tags: ['Notifications'],
      security: ['bearer'],
      before: [requireUser],
      request: {
        params: userParams,
        body: z
          .object({
            channels: z.object({ email: z.boolean(), sms: z.boolean(), push: z.boolean() }).partial().optional(),
            language: z
              .string()
              .regex(/^[a-z]{2}$/)
              .optional(),
          })
          .strict(),
      },
      responses: { 200: { description: 'Saved', data: preferencesSchema }, 404: { description: 'Unknown user' } },
      handler: async ({ params, body, res, req }) => {
        const auth = ownUser(res, params.userId);
        const by = { userId: auth.userId, tenantId: auth.tenantId, requestId: String(req.id ?? '') };
        return { data: await updateNotificationPreferences(deps, by, params.userId, body) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:userId/devices',
      summary: 'Register a push device token',
      description: 'A token already registered (e.g. by a previous user of the device) moves to this user.',
      tags: ['Notifications'],
      security: ['bearer'],
      before: [requireUser],
      request: {
        params: userParams,
        body: z.object({ token: z.string().min(8).max(4096), platform: z.enum(['ios', 'android', 'web']) }),
      },
      responses: {
        201: { description: 'Registered (or already registered to this user)', data: deviceSchema },
        404: { description: 'Unknown user' },
        409: {
          description: `TOO_MANY_DEVICES (at most ${MAX_DEVICES_PER_USER} per user); CONCURRENT_UPDATE when the list stayed contended`,
        },
      },
      handler: async ({ params, body, res }) => {
        ownUser(res, params.userId);
        return { status: 201, data: deviceView(await registerPushDevice(deps, params.userId, body)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/users/:userId/devices',
      summary: "The user's registered push devices (tokens are not shown)",
      tags: ['Notifications'],
      security: ['bearer'],
      before: [requireUser],
      request: { params: userParams },
      responses: {
        200: { description: 'Devices, oldest first', data: z.object({ devices: z.array(deviceSchema) }) },
        404: { description: 'Unknown user' },
      },
      handler: async ({ params, res }) => {
        ownUser(res, params.userId);
        return { data: { devices: (await listPushDevices(deps, params.userId)).map(deviceView) } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/users/:userId/devices',
      summary: 'Unregister a push device token (e.g. on sign-out)',
      tags: ['Notifications'],
      security: ['bearer'],
      before: [requireUser],
      request: { params: userParams, body: z.object({ token: z.string().min(8).max(4096) }) },
      responses: {
        200: { description: 'Removed (or was not registered)', data: z.object({ removed: z.boolean() }) },
        404: { description: 'Unknown user' },
        409: { description: 'CONCURRENT_UPDATE when the list stayed contended' },
      },
      handler: async ({ params, body, res }) => {
        ownUser(res, params.userId);
        return { data: { removed: await unregisterPushDevice(deps, params.userId, body.token) } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
