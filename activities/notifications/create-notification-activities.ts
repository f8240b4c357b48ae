import { heartbeat } from '@temporalio/activity';

import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { editUserDevices, readUserDevices } from '../../adapters/models/device';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import {
  type EmailChannel,
  PermanentChannelError,
  type PushChannel,
  type SentMessage,
  type SmsChannel,
} from '../../adapters/notifications/channel';
import { deliveryKey, sendOnce } from '../../adapters/notifications/delivery-ledger';
import {
  type Channel,
  CHANNELS,
  type ChannelSendInput,
  type NotificationPlan,
  type NotificationRequest,
  TRANSACTIONAL_EVENTS,
} from '../../domain/contracts/notify.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { createSendTimeData, type SendTimeConfig, type SendTimeModels } from './send-time-data';
import { atSendOf, renderTemplate, TemplateError, validatePlaceholders } from './templates';

export interface NotificationActivityDeps {
  config: Pick<Config, 'NOTIFY_FALLBACK_ORDER' | 'NOTIFY_RECONCILE_WINDOW_MS' | 'API_PUBLIC_URL'> & SendTimeConfig;
  models: Pick<
    Models,
    | 'User'
    | 'Notification'
    | 'NotificationDelivery'
    | 'NotificationDeliveryEvent'
    | 'NotificationPreference'
    | 'UserDevices'
    | 'DeviceListVersion'
  > &
    SendTimeModels;
  channels: { email: EmailChannel; sms: SmsChannel; push: PushChannel };
}

/**
 * Heartbeats every 2 s (the heartbeat timeout is 5 s) for as long as the send runs: a dead worker
 * is noticed in seconds, a slow database is not mistaken for one. No heartbeat at the start: the
 * timeout already runs from the attempt's start, and each heartbeat is a server write, so a send
 * that finishes within 2 s (nearly all) costs none (docs/performance.md, notifications).
 */
async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => heartbeat(), 2_000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

const ignoreDuplicate = (err: unknown) => {
  if (!isDuplicateKeyError(err)) throw err;
};
const notFound = (what: string) => ActivityFailures.create('NOT_FOUND', `${what} not found`);

export function createNotificationActivities(deps: NotificationActivityDeps) {
  const { models, channels, config } = deps;
  const ledger = { models, reconcileWindowMs: config.NOTIFY_RECONCILE_WINDOW_MS };
  const sendTime = createSendTimeData({ config, models });

  const languageOf = (prefs: { language?: string | null } | null, user: { locale?: string | null }) =>
    prefs?.language ?? user.locale ?? 'en';

  async function recipient(userId: string, planned?: string) {
    const user = await models.User.findById(userId, { email: 1, phone: 1, firstName: 1, locale: 1 }).lean();
    if (!user) throw notFound('User');
    // The plan carries the language; only sends of plans recorded before it did read the preferences.
    if (planned) return { user, language: planned };
    return { user, language: languageOf(await models.NotificationPreference.findById(userId).lean(), user) };
  }

  /** The recipient and the template values: the request's data and what is read when sending. */
  async function prepare(input: ChannelSendInput) {
    const { user, language } = await recipient(input.userId, input.language);
    const data = {
      ...input.data,
      ...(await sendTime.context(input)),
      ...(user.firstName ? { firstName: user.firstName } : {}),
    };
    return { user, language, data };
  }

  /**
   * SMS and push. Their texts never use a secret the email send mints (templates' unit tests), so an
   * `atSend` value only the email would have gets a stand-in here, as the email send's own check does:
   * a verification code's SMS (a fallback, say) says where the code is instead of failing to render.
   */
  async function render(input: ChannelSendInput) {
    const { user, language, data } = await prepare(input);
    const standIns = Object.fromEntries(atSendOf(input.event).map((k) => [k, '-']));
    return { user, message: renderTemplate(input.event, language, { ...standIns, ...data }) };
  }

  const delivery = (input: ChannelSendInput, channel: Channel, idempotentProvider: boolean) => ({
    key: deliveryKey(input.notificationId, channel),
    notificationId: input.notificationId,
    userId: input.userId,
    channel,
    fallbackFor: input.fallbackFor,
    idempotentProvider,
  });

  return {
    /** Records the notification and decides the channels: consent, contact details, devices. */
    async planNotification(req: NotificationRequest & { source?: string }): Promise<NotificationPlan> {
      try {
        validatePlaceholders(req.event, req.data);
      } catch (err) {
        if (err instanceof TemplateError) throw ActivityFailures.create('VALIDATION_ERROR', err.message);
        throw err;
      }
      const user = await models.User.findById(req.userId, { email: 1, phone: 1, locale: 1 }).lean();
      if (!user) throw notFound('User');
      // Insert, not upsert: a retry finds it there (duplicate key) and that is fine.
      await models.Notification.create({
        _id: req.notificationId,
        userId: req.userId,
        event: req.event,
        requestedChannels: req.channels ?? null,
        source: req.source ?? 'workflow',
      }).catch(ignoreDuplicate);
      const prefs = await models.NotificationPreference.findById(req.userId).lean();
      const transactional = TRANSACTIONAL_EVENTS.includes(req.event);
      const hasDevice = (await readUserDevices(models, req.userId)).devices.length > 0;
      const reachable: Record<Channel, boolean> = {
        email: Boolean(user.email),
        sms: Boolean(user.phone),
        push: hasDevice,
      };
      const eligible = CHANNELS.filter((c) => reachable[c] && (transactional || (prefs?.[c] ?? true)));
      const selected = eligible.filter((c) => !req.channels || req.channels.includes(c));
      const fallback = config.NOTIFY_FALLBACK_ORDER.filter((c) => eligible.includes(c) && !selected.includes(c));
      return { selected, fallback, language: languageOf(prefs, user) };
    },

    sendEmail: (input: ChannelSendInput) =>
      withHeartbeat(async () => {
        const { user, language, data } = await prepare(input);
        const d = delivery(input, 'email', false);
        if (!sendTime.mints(input.event)) {
          const message = renderTemplate(input.event, language, data);
          return sendOnce(ledger, d, () =>
            channels.email.send({ to: user.email, ...message.email, deliveryKey: d.key }),
          );
        }
        // A message carrying a secret (set-password link, reset code): the secret is minted only by
        // an attempt that holds the delivery claim and is about to call the provider, so a retry
        // that finds the email sent mints nothing, and one that sends again replaces the earlier
        // secret (the newest email works). The template is checked first, with stand-ins, so a
        // template bug cannot leave a claimed delivery behind.
        renderTemplate(input.event, language, {
          ...Object.fromEntries(atSendOf(input.event).map((k) => [k, '-'])),
          ...data,
        });
        return sendOnce(ledger, d, async () => {
          const message = renderTemplate(input.event, language, { ...data, ...(await sendTime.mint(input)) });
          return channels.email.send({ to: user.email, ...message.email, deliveryKey: d.key });
        });
      }),

    sendSms: (input: ChannelSendInput) =>
      withHeartbeat(async () => {
        const { user, message } = await render(input);
        if (!user.phone) throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', 'No phone number', 'NO_ADDRESS');
        const d = delivery(input, 'sms', false);
        const statusCallback = `${config.API_PUBLIC_URL}/webhooks/twilio/status/${encodeURIComponent(d.key)}`;
        return sendOnce(ledger, d, () =>
          channels.sms.send({ to: user.phone!, body: message.sms, deliveryKey: d.key, statusCallback }),
        );
      }),

    /** Every registered device; tokens the provider calls stale are removed. */
    sendPush: (input: ChannelSendInput) =>
      withHeartbeat(async () => {
        const { message } = await render(input);
        const d = delivery(input, 'push', channels.push.idempotent);
        return sendOnce(ledger, d, async () => {
          const { devices } = await readUserDevices(models, input.userId);
          const sent: SentMessage[] = [];
          let lastPermanent: PermanentChannelError | undefined;
          for (const device of devices) {
            try {
              const data = { notificationId: input.notificationId, event: input.event };
              sent.push(
                await channels.push.send({
                  token: device.token,
                  ...message.push,
                  data,
                  idempotencyKey: `${d.key}.${device._id}`,
                }),
              );
            } catch (err) {
              if (!(err instanceof PermanentChannelError)) throw err;
              lastPermanent = err;
              if (err.code === 'UNREGISTERED' || err.code === 'INVALID_TOKEN')
                await editUserDevices(models, input.userId, (list) => list.filter((x) => x._id !== device._id));
            }
          }
          if (sent.length) return { providerMessageId: sent.map((s) => s.providerMessageId).join(',') };
          throw lastPermanent ?? new PermanentChannelError('NO_DEVICE', 'No registered device');
        });
      }),

    async completeNotification(input: { notificationId: string; status: 'sent' | 'failed' }): Promise<void> {
      await models.Notification.updateOne(
        { _id: input.notificationId },
        { $set: { status: input.status, completedAt: new Date() } },
      );
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
