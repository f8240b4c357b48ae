import { heartbeat } from '@temporalio/activity';

import type {
  ChannelSendInput,
  NotificationPlan,
  NotificationRequest,
  NotifyResult,
} from '../../domain/contracts/notify.contract';
import { createDeliveryCore, type DeliveryCoreDeps } from './delivery-core';

export type NotificationActivityDeps = DeliveryCoreDeps;

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

/**
 * The `notify` workflow's steps (one activity each), kept with their names and shapes so runs in
 * flight and recorded histories go on; each step is the delivery core's (delivery-core.ts), which a
 * batch page also runs whole, in one activity.
 */
export function createNotificationActivities(deps: NotificationActivityDeps) {
  const core = createDeliveryCore(deps);
  const step = (channel: 'email' | 'sms' | 'push') => (input: ChannelSendInput) =>
    withHeartbeat(async () => core.send[channel](input, await core.recipientOf(input)));

  return {
    /** Records the notification and decides the channels: consent, contact details, devices. */
    async planNotification(req: NotificationRequest & { source?: string }): Promise<NotificationPlan> {
      return (await core.plan(req)).plan;
    },
    sendEmail: step('email'),
    sendSms: step('sms'),
    /** Every registered device; tokens the provider calls stale are removed. */
    sendPush: step('push'),
    /**
     * A whole message in one activity (the `notify` workflow since `notify-one-delivery`): plan, the
     * channels in parallel with their retries, fallback, completion, as a batch page delivers each of
     * its messages. A retried attempt runs it all again: the ledger finds the channels an earlier
     * attempt sent and sends them nothing twice (delivery-ledger.ts).
     */
    deliverNotification(req: NotificationRequest & { source?: string }): Promise<NotifyResult> {
      return withHeartbeat(() => core.deliver(req));
    },
    async completeNotification(input: { notificationId: string; status: 'sent' | 'failed' }): Promise<void> {
      await core.complete(input);
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
