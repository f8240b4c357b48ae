import { Context } from '@temporalio/activity';
import { siblingQueue } from '../../domain/task-queues';
import type { NotificationRequest, NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import { startNotification } from '../../adapters/notifications/start-notification';

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
