import { randomUUID } from 'node:crypto';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { TRANSACTIONAL_EVENTS } from '../../../domain/contracts/notify.contract';
import { getAuth, isInternalAdmin } from '../auth/auth-context';
import type { ApiDeps } from '../deps';
import { DeviceListBusyError, editUserDevices, MAX_DEVICES_PER_USER, readUserDevices, type DeviceEntry } from '../../../adapters/models/device';
import { updateLocked } from '../../../adapters/models/locked-update';
import type { NotificationPreferenceDoc } from '../../../adapters/models/notification-preference';
import { conflict, notFound } from '../http/app-error';
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
const deviceSchema = z.object({ deviceId: z.string(), platform: z.enum(['ios', 'android', 'web']), createdAt: z.iso.datetime() }).meta({ id: 'Device' });

/** Self or an internal admin; anyone else gets 404 so user ids do not leak. */
function ownUser(res: Response, userId: string) {
  const auth = getAuth(res);
  if (auth.userId !== userId && !isInternalAdmin(auth)) throw notFound('User');
  return auth;
}

/** Per-user channel consent and push device registration. */
export function notificationSettingsRouter(deps: ApiDeps, registry: OpenAPIRegistry, requireUser: RequestHandler) {
  const toView = (userId: string, p: { email?: boolean | null; sms?: boolean | null; push?: boolean | null; language?: string | null } | null) => ({
    userId,
    channels: { email: p?.email ?? true, sms: p?.sms ?? true, push: p?.push ?? true },
    language: p?.language ?? 'en',
    transactionalEvents: [...TRANSACTIONAL_EVENTS],
  });

  /** Concurrent edits of one list all land (see editUserDevices); only endless contention is a 409. */
  const editDevices = (userId: string, edit: (list: DeviceEntry[]) => DeviceEntry[] | null) =>
    editUserDevices(deps.models, userId, edit).catch((err) => {
      if (err instanceof DeviceListBusyError) throw conflict('CONCURRENT_UPDATE', err.message);
      throw err;
    });
  const deviceView = (d: DeviceEntry) => ({ deviceId: d._id, platform: d.platform, createdAt: new Date(d.createdAt).toISOString() });

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
      responses: { 200: { description: 'Preferences (defaults if never set)', data: preferencesSchema }, 404: { description: 'Unknown user' } },
      handler: async ({ params, res }) => {
        ownUser(res, params.userId);
        return { data: toView(params.userId, await deps.models.NotificationPreference.findById(params.userId).lean()) };
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
            language: z.string().regex(/^[a-z]{2}$/).optional(),
          })
          .strict(),
      },
      responses: { 200: { description: 'Saved', data: preferencesSchema }, 404: { description: 'Unknown user' } },
      handler: async ({ params, body, res, req }) => {
        const auth = ownUser(res, params.userId);
        const user = await deps.models.User.exists({ _id: params.userId });
        if (!user) throw notFound('User');
        // Under the document's write lock: two concurrent opt-outs of different channels would
        // otherwise erase each other on FerretDB, and the audit's from/to is read under the same lock.
        const { before, after } = await updateLocked<NotificationPreferenceDoc>(
          deps.models.NotificationPreference,
          deps.models.DocumentLock,
          'notification-preferences',
          params.userId,
          () => ({ $set: { ...body.channels, ...(body.language ? { language: body.language } : {}) } }),
          { upsert: true },
        );
        // Consent changes are audited: who changed them, from → to.
        await deps.models.AuditEvent.create({
          actor: auth.userId,
          subject: params.userId,
          tenantId: auth.tenantId,
          action: 'notification_preferences.update',
          from: toView(params.userId, before).channels,
          to: toView(params.userId, after).channels,
          reason: null,
          requestId: String(req.id ?? ''),
        });
        return { data: toView(params.userId, after) };
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
      request: { params: userParams, body: z.object({ token: z.string().min(8).max(4096), platform: z.enum(['ios', 'android', 'web']) }) },
      responses: {
        201: { description: 'Registered (or already registered to this user)', data: deviceSchema },
        404: { description: 'Unknown user' },
        409: { description: `TOO_MANY_DEVICES (at most ${MAX_DEVICES_PER_USER} per user); CONCURRENT_UPDATE when the list stayed contended` },
      },
      handler: async ({ params, body, res }) => {
        ownUser(res, params.userId);
        if (!(await deps.models.User.exists({ _id: params.userId }))) throw notFound('User');
        const { UserDevices } = deps.models;
        // A token registered by another account (reinstall, shared device) moves to this one.
        const others = await UserDevices.find({ 'devices.token': body.token, _id: { $ne: params.userId } }, { _id: 1 }).lean();
        for (const o of others) await editDevices(o._id, (list) => list.filter((d) => d.token !== body.token));
        let device: DeviceEntry | undefined;
        await editDevices(params.userId, (list) => {
          device = list.find((d) => d.token === body.token);
          if (device) return null;
          if (list.length >= MAX_DEVICES_PER_USER) throw conflict('TOO_MANY_DEVICES', `At most ${MAX_DEVICES_PER_USER} devices per user`);
          device = { _id: randomUUID(), token: body.token, platform: body.platform, createdAt: new Date() };
          return [...list, device];
        });
        return { status: 201, data: deviceView(device!) };
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
      responses: { 200: { description: 'Devices, oldest first', data: z.object({ devices: z.array(deviceSchema) }) }, 404: { description: 'Unknown user' } },
      handler: async ({ params, res }) => {
        ownUser(res, params.userId);
        if (!(await deps.models.User.exists({ _id: params.userId }))) throw notFound('User');
        const { devices } = await readUserDevices(deps.models, params.userId);
        return { data: { devices: devices.map(deviceView) } };
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
        let removed = false;
        await editDevices(params.userId, (list) => {
          removed = list.some((d) => d.token === body.token);
          return removed ? list.filter((d) => d.token !== body.token) : null;
        });
        return { data: { removed } };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
