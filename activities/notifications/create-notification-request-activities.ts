import { Context } from '@temporalio/activity';
import { siblingQueue } from '../../services/common/task-queues';
import type { NotificationRequest, NotificationRequestActivities } from '../../workflows/notify.contract';
import { startNotification } from './start-notification';

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
