import { Context } from '@temporalio/activity';

import { startNotification } from '../../adapters/notifications/start-notification';
import type { NotificationRequest, NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import { siblingQueue } from '../../domain/task-queues';

/** Hosted on the onboarding worker: how every other workflow sends a message. */
export function createNotificationRequestActivities(): NotificationRequestActivities {
  return {
    async requestNotification(req: NotificationRequest) {
      const ctx = Context.current();
      const queue = siblingQueue(ctx.info.taskQueue, 'notifications');
      await startNotification(ctx.client, queue, { ...req, source: `workflow:${ctx.info.workflowType}` });
      return { notificationId: req.notificationId };
    },
  };
}
