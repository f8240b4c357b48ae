import type { Client } from '@temporalio/client';

import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { insertPendingNotifications } from '../../adapters/notifications/pending-notifications';
import { startNotification } from '../../adapters/notifications/start-notification';
import { taskQueues } from '../../domain/task-queues';

/** What sending a welcome needs: the notification records and the Temporal client that starts it. */
export interface StaffWelcomeDeps {
  models: Pick<Models, 'Notification'>;
  temporal: Client;
  config: { TASK_QUEUE_PREFIX: string };
}

/** How many times one invitation's welcome email can be sent again (POST /api/v1/auth/users/{id}/welcome). */
export const MAX_WELCOME_RESENDS = 5;

/** The n-th welcome of a user: the first keeps the id it always had, later ones add `-<n>`. */
export const staffWelcomeId = (userId: string, n: number) =>
  n <= 1 ? `staff-welcome-${userId}` : `staff-welcome-${userId}-${n}`;

const welcomeRequest = (input: { userId: string; actorId: string }, notificationId: string) => ({
  notificationId,
  userId: input.userId,
  event: 'staff_welcome' as const,
  data: {},
  channels: ['email' as const],
  source: `user:${input.actorId}`,
});

/**
 * Seed 002: "the new user will receive a welcome email with login instructions". Sent through the
 * notify workflow (email only, transactional) with a single-use, expiring set-password link; never
 * a password. The notification id derives from the user, so the first welcome is sent once.
 *
 * The request carries the user id only: the notifications worker reads the organization's name and
 * mints the link inside the email send (activities/notifications/send-time-data.ts), so the token
 * never enters workflow history; only its digest is stored.
 */
export async function sendStaffWelcome(
  deps: StaffWelcomeDeps,
  input: { userId: string; tenantId: string | null; actorId: string },
): Promise<{ notificationId: string }> {
  const request = welcomeRequest(input, staffWelcomeId(input.userId, 1));
  await insertPendingNotifications(deps.models, [request]);
  await startNotification(deps.temporal, taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications, request);
  return { notificationId: request.notificationId };
}

/** Whether a staff member is still waiting for their welcome: no password, and never set one. */
export const awaitsWelcome = (user: Pick<UserDoc, 'passwordHash' | 'passwordSetupDigest' | 'status'>) =>
  !user.passwordHash && !user.passwordSetupDigest && user.status !== 'inactive';

/**
 * Sends the welcome again (issue 22: an invitation whose welcome never started, Temporal being out
 * of reach, or whose email or link got lost). The newest welcome id is started first: when it never
 * ran (its start failed) it runs now, and that is the resend. When it ran, the next id
 * `staff-welcome-<userId>-<n>` is sent: its email mints a fresh link, which replaces the older one
 * (only the newest set-password token works). Ids are sent under REJECT_DUPLICATE, so two
 * concurrent resends send one email. Null: MAX_WELCOME_RESENDS reached.
 */
export async function resendStaffWelcome(
  deps: StaffWelcomeDeps,
  input: { userId: string; actorId: string },
): Promise<{ notificationId: string } | null> {
  const queue = taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications;
  let n = 1;
  while (
    n <= MAX_WELCOME_RESENDS + 1 &&
    (await deps.models.Notification.exists({ _id: staffWelcomeId(input.userId, n + 1) }))
  )
    n++;
  // The newest welcome recorded (or the first, never recorded when its insert failed too).
  const newest = welcomeRequest(input, staffWelcomeId(input.userId, n));
  await insertPendingNotifications(deps.models, [newest]);
  if ((await startNotification(deps.temporal, queue, newest)).started) return { notificationId: newest.notificationId };
  if (n > MAX_WELCOME_RESENDS) return null;
  const next = welcomeRequest(input, staffWelcomeId(input.userId, n + 1));
  await insertPendingNotifications(deps.models, [next]);
  await startNotification(deps.temporal, queue, next);
  return { notificationId: next.notificationId };
}
