import { ActivityFailure, patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

import type { NotificationActivities } from '../activities/notifications/create-notification-activities';
import type { Channel, ChannelOutcome, NotificationRequest, NotifyResult } from '../domain/contracts/notify.contract';
import { activityProfiles, localActivityProfiles } from './activity-profiles';

// The two bookkeeping steps (database writes in this worker) are local activities: a notification
// is 2 workflow tasks + 1 activity task per channel instead of 4 + 3 (docs/performance.md). Both are
// idempotent inserts/updates keyed by the notification id, so running one again changes nothing.
const booking = proxyLocalActivities<Pick<NotificationActivities, 'planNotification' | 'completeNotification'>>(
  localActivityProfiles.fast,
);
const send = proxyActivities<Pick<NotificationActivities, 'sendEmail' | 'sendSms' | 'sendPush'>>(
  activityProfiles.channel,
);

// Since `notify-one-delivery`: the whole message is one activity on the notifications queue (plan,
// channels, fallback, completion by the delivery core, as a batch page runs each message): 1 workflow
// task fewer and no activity task per channel (docs/performance.md, notifications).
const { deliverNotification } = proxyActivities<Pick<NotificationActivities, 'deliverNotification'>>(
  activityProfiles.message,
);

const SENDERS: Record<Channel, (typeof send)['sendEmail']> = {
  email: send.sendEmail,
  sms: send.sendSms,
  push: send.sendPush,
};

/**
 * `notify-<notificationId>`: fan out to the selected channels in parallel, each with its own retries
 * and a delivery record. If none got through, try the fallback channels one at a time in the
 * configured order. Permanent provider failures are recorded and never retried. New runs do it all
 * in one activity; runs started before `notify-one-delivery` keep their step-per-activity shape.
 */
export async function notify(req: NotificationRequest & { source?: string }): Promise<NotifyResult> {
  if (patched('notify-one-delivery')) return deliverNotification(req);
  const plan = await booking.planNotification(req);
  const channels: Partial<Record<Channel, ChannelOutcome>> = {};

  const attempt = async (channel: Channel, fallbackFor?: Channel[]): Promise<boolean> => {
    try {
      // The plan's language rides along (an activity input: replay does not compare it), so a send reads no preferences.
      await SENDERS[channel]({
        notificationId: req.notificationId,
        userId: req.userId,
        event: req.event,
        data: req.data,
        fallbackFor,
        language: plan.language,
      });
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
  await booking.completeNotification({ notificationId: req.notificationId, status });
  return { notificationId: req.notificationId, status, channels, fallbackUsed };
}
