import { createPushChannel } from '../../activities/notifications/channels/push';
import { createSendGridEmailChannel } from '../../activities/notifications/channels/sendgrid-email';
import { createTwilioSmsChannel } from '../../activities/notifications/channels/twilio-sms';
import { createNotificationActivities } from '../../activities/notifications/create-notification-activities';
import { createSystemActivities } from '../../activities/system/create-system-activities';
import type { WorkerProcessSpec } from '../common/worker-runner';

/**
 * Hosts `notify-*` workflows and the channel activities: only this process holds the provider
 * credentials. The provider rate limit is enforced by Temporal on the task queue.
 */
export const notificationsWorkerSpec: WorkerProcessSpec<'notifications-worker'> = {
  name: 'notifications-worker',
  queue: 'notifications',
  hostsWorkflows: true,
  buildActivities: ({ models, config }) => ({
    ...createSystemActivities({ models }),
    ...createNotificationActivities({
      config,
      models,
      channels: {
        email: createSendGridEmailChannel(config),
        sms: createTwilioSmsChannel(config),
        push: createPushChannel(config),
      },
    }),
  }),
  maxTaskQueueActivitiesPerSecond: (config) => config.NOTIFY_MAX_ACTIVITIES_PER_SECOND,
};
