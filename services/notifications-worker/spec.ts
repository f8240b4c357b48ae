import { createPushChannel } from '../../activities/notifications/channels/push';
import { createSendGridEmailChannel } from '../../activities/notifications/channels/sendgrid-email';
import { createTwilioSmsChannel } from '../../activities/notifications/channels/twilio-sms';
import { createNotificationActivities } from '../../activities/notifications/create-notification-activities';
import { createNotificationBatchActivities } from '../../activities/notifications/create-notification-batch-activities';
import { createDeliveryCore } from '../../activities/notifications/delivery-core';
import { InFlightLimit } from '../../activities/notifications/in-flight-limit';
import { createSystemActivities } from '../../activities/system/create-system-activities';
import { rateLimitedChannels } from '../../adapters/notifications/rate-limited-channels';
import type { WorkerProcessSpec } from '../common/worker-runner';

/**
 * Hosts `notify-*` and `notify-batch-*` workflows, the channel activities and the batch page
 * activity: only this process holds the provider credentials. Provider rate limits are token buckets
 * in this process, one per provider account (a batch page sends many messages in one activity, so a
 * task-queue limit would no longer meter provider requests).
 */
export const notificationsWorkerSpec: WorkerProcessSpec<'notifications-worker'> = {
  name: 'notifications-worker',
  queue: 'notifications',
  hostsWorkflows: true,
  buildActivities: ({ models, config }) => {
    const channels = rateLimitedChannels(
      {
        email: createSendGridEmailChannel(config),
        sms: createTwilioSmsChannel(config),
        push: createPushChannel(config),
      },
      config,
    );
    const deps = { config, models, channels };
    return {
      ...createSystemActivities({ models }),
      ...createNotificationActivities(deps),
      ...createNotificationBatchActivities({
        config,
        models,
        core: createDeliveryCore(deps),
        // One bound for every page this process runs, whatever the number of batches.
        inFlight: new InFlightLimit(config.NOTIFY_WORKER_MAX_IN_FLIGHT),
      }),
    };
  },
};
