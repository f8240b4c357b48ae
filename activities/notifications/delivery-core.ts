import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { type DeviceEntry, editUserDevices, readUserDevices } from '../../adapters/models/device';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { PermanentChannelError, type SentMessage } from '../../adapters/notifications/channel';
import { deliveryKey, sendOnce } from '../../adapters/notifications/delivery-ledger';
import type { Channels } from '../../adapters/notifications/rate-limited-channels';
import {
  type Channel,
  type ChannelOutcome,
  CHANNELS,
  type ChannelSendInput,
  type NotificationPlan,
  type NotificationRequest,
  type NotifyResult,
  TRANSACTIONAL_EVENTS,
} from '../../domain/contracts/notify.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { createSendTimeData, type SendTimeConfig, type SendTimeModels } from './send-time-data';
import { atSendOf, renderTemplate, TemplateError, validatePlaceholders } from './templates';

export interface DeliveryCoreDeps {
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
  channels: Channels;
  /** Waits between in-process retries of one channel (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

/** What a message needs of its recipient: read once per message, by `_id` (user, preferences, devices). */
export interface Recipient {
  user: { email: string; phone?: string | null; firstName?: string | null; locale?: string | null };
  language: string;
  devices?: DeviceEntry[];
}

const ignoreDuplicate = (err: unknown) => {
  if (!isDuplicateKeyError(err)) throw err;
};
const notFound = (what: string) => ActivityFailures.create('NOT_FOUND', `${what} not found`);
const languageOf = (prefs: { language?: string | null } | null, user: { locale?: string | null }) =>
  prefs?.language ?? user.locale ?? 'en';

/** A failure the next attempt cannot change (the catalog's non-retryable types): done, not retried. */
const isFinal = (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable;

/**
 * The one delivery core, used by the `notify` workflow's activities (one step each) and, whole, by a
 * batch page (`deliver`: a message from plan to completion in one call, no Temporal task per step).
 * Exactly once stays the ledger's (delivery-ledger.ts: the insert-first claim per message and
 * channel), so running a message again, after a crash or in a repeated batch, sends nothing twice.
 */
/**
 * A wait between retries that ends when the activity is cancelled (a worker shutting down cancels
 * its running activities): a message waiting on a provider that is down must not hold the worker's
 * shutdown for the whole retry bound. The attempt then fails as cancelled; the next attempt (another
 * worker) resumes through the ledger, which skips the channels already sent. Outside an activity
 * (tests of the core), a plain timer.
 */
function activitySleep(ms: number): Promise<void> {
  let ctx: Context | undefined;
  try {
    ctx = Context.current();
  } catch {
    ctx = undefined;
  }
  return ctx ? ctx.sleep(ms) : new Promise<void>((r) => setTimeout(r, ms));
}

export function createDeliveryCore(deps: DeliveryCoreDeps) {
  const { models, channels, config } = deps;
  const ledger = { models, reconcileWindowMs: config.NOTIFY_RECONCILE_WINDOW_MS };
  const sendTime = createSendTimeData({ config, models });
  const sleep = deps.sleep ?? activitySleep;

  async function readUser(userId: string) {
    const user = await models.User.findById(userId, { email: 1, phone: 1, firstName: 1, locale: 1 }).lean();
    if (!user) throw notFound('User');
    return user;
  }

  /** A send's recipient when the caller has none (a `notify` step): the plan carries the language. */
  async function recipientOf(input: ChannelSendInput): Promise<Recipient> {
    const user = await readUser(input.userId);
    if (input.language) return { user, language: input.language };
    return { user, language: languageOf(await models.NotificationPreference.findById(input.userId).lean(), user) };
  }

  async function prepare(input: ChannelSendInput, r: Recipient) {
    return {
      ...input.data,
      ...(await sendTime.context(input)),
      ...(r.user.firstName ? { firstName: r.user.firstName } : {}),
    };
  }

  /**
   * SMS and push. Their texts never use a secret the email send mints (templates' unit tests), so an
   * `atSend` value only the email would have gets a stand-in here, as the email send's own check does:
   * a verification code's SMS (a fallback, say) says where the code is instead of failing to render.
   */
  async function render(input: ChannelSendInput, r: Recipient) {
    const data = await prepare(input, r);
    const standIns = Object.fromEntries(atSendOf(input.event).map((k) => [k, '-']));
    return renderTemplate(input.event, r.language, { ...standIns, ...data });
  }

  const delivery = (input: ChannelSendInput, channel: Channel, idempotentProvider: boolean) => ({
    key: deliveryKey(input.notificationId, channel),
    notificationId: input.notificationId,
    userId: input.userId,
    channel,
    fallbackFor: input.fallbackFor,
    idempotentProvider,
  });

  async function sendEmail(input: ChannelSendInput, r: Recipient) {
    const data = await prepare(input, r);
    const d = delivery(input, 'email', false);
    if (!sendTime.mints(input.event)) {
      const message = renderTemplate(input.event, r.language, data);
      return sendOnce(ledger, d, () => channels.email.send({ to: r.user.email, ...message.email, deliveryKey: d.key }));
    }
    // A message carrying a secret (set-password link, reset code): the secret is minted only by
    // an attempt that holds the delivery claim and is about to call the provider, so a retry
    // that finds the email sent mints nothing, and one that sends again replaces the earlier
    // secret (the newest email works). The template is checked first, with stand-ins, so a
    // template bug cannot leave a claimed delivery behind.
    renderTemplate(input.event, r.language, {
      ...Object.fromEntries(atSendOf(input.event).map((k) => [k, '-'])),
      ...data,
    });
    return sendOnce(ledger, d, async () => {
      const message = renderTemplate(input.event, r.language, { ...data, ...(await sendTime.mint(input)) });
      return channels.email.send({ to: r.user.email, ...message.email, deliveryKey: d.key });
    });
  }

  async function sendSms(input: ChannelSendInput, r: Recipient) {
    const message = await render(input, r);
    if (!r.user.phone) throw ActivityFailures.create('PERMANENT_PROVIDER_ERROR', 'No phone number', 'NO_ADDRESS');
    const phone = r.user.phone;
    const d = delivery(input, 'sms', false);
    const statusCallback = `${config.API_PUBLIC_URL}/webhooks/twilio/status/${encodeURIComponent(d.key)}`;
    return sendOnce(ledger, d, () =>
      channels.sms.send({ to: phone, body: message.sms, deliveryKey: d.key, statusCallback }),
    );
  }

  /** Every registered device; tokens the provider calls stale are removed. */
  async function sendPush(input: ChannelSendInput, r: Recipient) {
    const message = await render(input, r);
    const d = delivery(input, 'push', channels.push.idempotent);
    return sendOnce(ledger, d, async () => {
      const devices = r.devices ?? (await readUserDevices(models, input.userId)).devices;
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
  }

  const senders = { email: sendEmail, sms: sendSms, push: sendPush };

  /**
   * Records the notification and decides the channels: consent, contact details, devices.
   * `recorded`: the caller already inserted the notification's record (a batch page inserts its
   * whole page in one bulk write), so the per-message insert is left out.
   */
  async function plan(
    req: NotificationRequest & { source?: string },
    opts: { recorded?: boolean } = {},
  ): Promise<{ plan: NotificationPlan; recipient: Recipient }> {
    try {
      validatePlaceholders(req.event, req.data);
    } catch (err) {
      if (err instanceof TemplateError) throw ActivityFailures.create('VALIDATION_ERROR', err.message);
      throw err;
    }
    // The three reads by `_id` and the insert are independent: one round trip of latency, not four.
    const [user, prefs, { devices }] = await Promise.all([
      readUser(req.userId),
      models.NotificationPreference.findById(req.userId).lean(),
      readUserDevices(models, req.userId),
      // Insert, not upsert: a retry (or the API's `pending` record) is a duplicate, and that is fine.
      opts.recorded
        ? undefined
        : models.Notification.create({
            _id: req.notificationId,
            userId: req.userId,
            event: req.event,
            requestedChannels: req.channels ?? null,
            source: req.source ?? 'workflow',
          }).catch(ignoreDuplicate),
    ]);
    const transactional = TRANSACTIONAL_EVENTS.includes(req.event);
    const reachable: Record<Channel, boolean> = {
      email: Boolean(user.email),
      sms: Boolean(user.phone),
      push: devices.length > 0,
    };
    const eligible = CHANNELS.filter((c) => reachable[c] && (transactional || (prefs?.[c] ?? true)));
    const selected = eligible.filter((c) => !req.channels || req.channels.includes(c));
    const fallback = config.NOTIFY_FALLBACK_ORDER.filter((c) => eligible.includes(c) && !selected.includes(c));
    const language = languageOf(prefs, user);
    return { plan: { selected, fallback, language }, recipient: { user, language, devices } };
  }

  async function complete(input: { notificationId: string; status: 'sent' | 'failed' }): Promise<void> {
    await models.Notification.updateOne(
      { _id: input.notificationId },
      { $set: { status: input.status, completedAt: new Date() } },
    );
  }

  /**
   * One channel with the retries the `channel` activity profile gives a `notify` step, in process:
   * transient provider errors and AWAITING_CONFIRMATION (an earlier attempt may have reached the
   * provider: its callback is awaited for up to the reconcile window, then the ledger lets it resend)
   * back off and try again; a permanent refusal ends the channel as failed. Past the bound the
   * channel is failed, as a `notify` step whose retries ran out.
   */
  async function sendWithRetries(channel: Channel, input: ChannelSendInput, r: Recipient): Promise<boolean> {
    const giveUpAt = Date.now() + config.NOTIFY_RECONCILE_WINDOW_MS + 120_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await senders[channel](input, r);
        return true;
      } catch (err) {
        if (isFinal(err) || Date.now() >= giveUpAt) return false;
        await sleep(Math.min(1_000 * 2 ** (attempt - 1), 10_000));
      }
    }
  }

  /**
   * A whole message: plan, the selected channels in parallel, the fallback channels one at a time
   * if none got through, completion. The same rules and records as the `notify` workflow.
   */
  async function deliver(
    req: NotificationRequest & { source?: string },
    opts: { recorded?: boolean } = {},
  ): Promise<NotifyResult> {
    let planned: Awaited<ReturnType<typeof plan>>;
    try {
      planned = await plan(req, opts);
    } catch (err) {
      if (!isFinal(err)) throw err;
      // An invalid request or a user who is gone: nothing to send, recorded as failed.
      await complete({ notificationId: req.notificationId, status: 'failed' });
      return { notificationId: req.notificationId, status: 'failed', channels: {}, fallbackUsed: [] };
    }
    const { plan: p, recipient } = planned;
    const outcomes: Partial<Record<Channel, ChannelOutcome>> = {};
    const attempt = async (channel: Channel, fallbackFor?: Channel[]) => {
      const input = {
        notificationId: req.notificationId,
        userId: req.userId,
        event: req.event,
        data: req.data,
        fallbackFor,
        language: p.language,
      };
      const ok = await sendWithRetries(channel, input, recipient);
      outcomes[channel] = ok ? 'sent' : 'failed';
      return ok;
    };
    const results = await Promise.all(p.selected.map((c) => attempt(c)));
    const fallbackUsed: Channel[] = [];
    if (!results.some(Boolean)) {
      for (const channel of p.fallback) {
        fallbackUsed.push(channel);
        if (await attempt(channel, p.selected)) break;
      }
    }
    const status = Object.values(outcomes).includes('sent') ? 'sent' : 'failed';
    await complete({ notificationId: req.notificationId, status });
    return { notificationId: req.notificationId, status, channels: outcomes, fallbackUsed };
  }

  return { plan, complete, deliver, recipientOf, send: senders };
}

export type DeliveryCore = ReturnType<typeof createDeliveryCore>;
