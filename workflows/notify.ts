import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { NotificationActivities } from '../activities/notifications/create-notification-activities';
import { activityProfiles } from './activity-profiles';
import type { Channel, ChannelOutcome, NotificationRequest, NotifyResult } from '../domain/contracts/notify.contract';

const book = proxyActivities<Pick<NotificationActivities, 'planNotification' | 'completeNotification'>>(activityProfiles.fast);
const send = proxyActivities<Pick<NotificationActivities, 'sendEmail' | 'sendSms' | 'sendPush'>>(activityProfiles.channel);

const SENDERS: Record<Channel, (typeof send)['sendEmail']> = { email: send.sendEmail, sms: send.sendSms, push: send.sendPush };

/**
 * `notify-<notificationId>`: fan out to the selected channels in parallel, each an activity with
 * its own retries and a delivery record. If none got through, try the fallback channels one at a
 * time in the configured order. Permanent provider failures are recorded and never retried.
 */
export async function notify(req: NotificationRequest & { source?: string }): Promise<NotifyResult> {
  const plan = await book.planNotification(req);
  const channels: Partial<Record<Channel, ChannelOutcome>> = {};

  const attempt = async (channel: Channel, fallbackFor?: Channel[]): Promise<boolean> => {
    try {
      await SENDERS[channel]({ notificationId: req.notificationId, userId: req.userId, event: req.event, data: req.data, fallbackFor });
      channels[channel] = 'sent';
      return true;
    } catch (err) {
      // A permanent refusal, or retries exhausted: this channel is done; the others decide.
      if (!(err instanceof ActivityFailure)) throw err;
      channels[channel] = 'failed';
      return false;
    }
  };

  const results = await Promise.all(plan.selected.map((c) => attempt(c)));
  const fallbackUsed: Channel[] = [];
  if (!results.some(Boolean)) {
    for (const channel of plan.fallback) {
      fallbackUsed.push(channel);
      if (await attempt(channel, plan.selected)) break;
    }
  }
  const status = Object.values(channels).includes('sent') ? 'sent' : 'failed';
  await book.completeNotification({ notificationId: req.notificationId, status });
  return { notificationId: req.notificationId, status, channels, fallbackUsed };
}
