import type { Client } from '@temporalio/client';

import type { Logger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';
import { insertPendingNotifications } from '../../adapters/notifications/pending-notifications';
import { startNotification } from '../../adapters/notifications/start-notification';
import type { NotificationRequest } from '../../domain/contracts/notify.contract';
import { taskQueues } from '../../domain/task-queues';

export interface PasswordNoticeDeps {
  config: { TASK_QUEUE_PREFIX: string };
  models: Pick<Models, 'Notification'>;
  temporal: Client;
  logger: Logger;
}

/** Records the notification (readable at once) and starts its workflow. */
export async function sendPasswordNotice(
  deps: PasswordNoticeDeps,
  request: NotificationRequest & { source: string },
): Promise<void> {
  await insertPendingNotifications(deps.models, [request]);
  await startNotification(deps.temporal, taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications, request);
}

/**
 * "Your password was changed", after the change is written: a failure to start it is logged,
 * not answered (the password is changed either way, and the client could not retry the request).
 */
export async function sendPasswordChanged(
  deps: PasswordNoticeDeps,
  userId: string,
  notificationId: string,
  requestId: string | null,
): Promise<void> {
  try {
    await sendPasswordNotice(deps, {
      notificationId,
      userId,
      event: 'password_changed',
      data: {},
      channels: ['email'],
      source: `user:${userId}`,
    });
  } catch (err) {
    deps.logger.error({ err, requestId, notificationId }, 'password-changed email not requested');
  }
}
