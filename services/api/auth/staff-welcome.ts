import { issuePasswordSetupToken } from '../../../adapters/identity/password-setup';
import { insertPendingNotifications } from '../../../adapters/notifications/pending-notifications';
import { startNotification } from '../../../adapters/notifications/start-notification';
import { taskQueues } from '../../../domain/task-queues';
import type { ApiDeps } from '../deps';

/** Where the welcome email's link points: PASSWORD_SETUP_URL, or the API's own /set-password page. */
export const passwordSetupPage = (config: ApiDeps['config']) => config.PASSWORD_SETUP_URL ?? `${config.API_PUBLIC_URL.replace(/\/$/, '')}/set-password`;

/**
 * Seed 002: "the new user will receive a welcome email with login instructions". Sent through the
 * notify workflow (email only, transactional) with a single-use, expiring set-password link; never
 * a password. The notification id derives from the user, so it can only ever be sent once.
 */
export async function sendStaffWelcome(deps: ApiDeps, input: { userId: string; tenantId: string | null; actorId: string }): Promise<{ notificationId: string }> {
  const { config, models } = deps;
  const ttlMs = config.PASSWORD_SETUP_TTL_HOURS * 3_600_000;
  const { token } = await issuePasswordSetupToken(models, input.userId, ttlMs);
  const tenant = input.tenantId ? await models.Organization.findById(input.tenantId, { name: 1 }).lean() : null;
  const url = new URL(passwordSetupPage(config));
  url.searchParams.set('token', token);
  const request = {
    notificationId: `staff-welcome-${input.userId}`,
    userId: input.userId,
    event: 'staff_welcome' as const,
    data: { tenantName: tenant?.name ?? 'your organization', setPasswordUrl: url.toString(), expiresInHours: String(config.PASSWORD_SETUP_TTL_HOURS) },
    channels: ['email' as const],
    source: `user:${input.actorId}`,
  };
  await insertPendingNotifications(models, [request]);
  await startNotification(deps.temporal, taskQueues(config.TASK_QUEUE_PREFIX).notifications, request);
  return { notificationId: request.notificationId };
}
