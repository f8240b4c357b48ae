import { insertPendingNotifications } from '../../../adapters/notifications/pending-notifications';
import { startNotification } from '../../../adapters/notifications/start-notification';
import { taskQueues } from '../../../domain/task-queues';
import type { ApiDeps } from '../deps';

/**
 * Seed 002: "the new user will receive a welcome email with login instructions". Sent through the
 * notify workflow (email only, transactional) with a single-use, expiring set-password link; never
 * a password. The notification id derives from the user, so it can only ever be sent once.
 *
 * The request carries the user id only: the notifications worker reads the organization's name and
 * mints the link inside the email send (activities/notifications/send-time-data.ts), so the token
 * never enters workflow history; only its digest is stored.
 */
export async function sendStaffWelcome(deps: ApiDeps, input: { userId: string; tenantId: string | null; actorId: string }): Promise<{ notificationId: string }> {
  const request = {
    notificationId: `staff-welcome-${input.userId}`,
    userId: input.userId,
    event: 'staff_welcome' as const,
    data: {},
    channels: ['email' as const],
    source: `user:${input.actorId}`,
  };
  await insertPendingNotifications(deps.models, [request]);
  await startNotification(deps.temporal, taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications, request);
  return { notificationId: request.notificationId };
}
