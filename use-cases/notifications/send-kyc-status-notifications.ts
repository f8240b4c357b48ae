import { createHash, randomUUID } from 'node:crypto';

import type { Client } from '@temporalio/client';

import { forEachBounded } from '../../adapters/bounded-parallel';
import type { Models } from '../../adapters/models';
import { startNotificationBatch, storeNotificationBatch } from '../../adapters/notifications/notification-batches';
import { insertPendingNotifications } from '../../adapters/notifications/pending-notifications';
import type { Channel, NotificationEvent, NotificationRequest } from '../../domain/contracts/notify.contract';
import { taskQueues } from '../../domain/task-queues';
import { badRequest } from '../app-error';

export const KYC_STATUSES = ['approved', 'declined', 'resubmission_requested', 'expired', 'review', 'pending'] as const;
type KycStatus = (typeof KYC_STATUSES)[number];

/** A KYC status becomes the event (and template) users receive. */
function kycEvent(status: KycStatus, reason?: string): { event: NotificationEvent; data: Record<string, string> } {
  const withReason: Record<string, string> = reason ? { reason } : {};
  switch (status) {
    case 'approved':
      return { event: 'kyc_approved', data: {} };
    case 'declined':
      return { event: 'kyc_declined', data: withReason };
    case 'resubmission_requested':
      return { event: 'kyc_resubmission', data: withReason };
    case 'expired':
      return { event: 'kyc_session_expired', data: {} };
    default:
      return { event: 'kyc_status_update', data: { status } };
  }
}

const uuidShaped = (h: string) =>
  `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;

/** Same key from the same service for the same user → same notification id → sent once. */
function idempotentId(service: string, key: string, userId: string): string {
  return uuidShaped(createHash('sha256').update(`kyc\0${service}\0${key}\0${userId}`).digest('hex'));
}

/** Same key, service and recipients → same batch → started once; other recipients under the same key are a batch of their own. */
function idempotentBatchId(service: string, key: string, userIds: string[]): string {
  const h = createHash('sha256').update(`kyc-batch\0${service}\0${key}\0${[...userIds].sort().join('\0')}`);
  return uuidShaped(h.digest('hex'));
}

export interface KycStatusNotice {
  userIds: string[];
  status: KycStatus;
  reason?: string;
  channels?: Channel[];
  /** Repeating a request with the same key starts nothing new. */
  idempotencyKey?: string;
}

/**
 * An internal system tells users about a KYC status: every user must exist (else 400 UNKNOWN_USERS,
 * nothing sent), and each gets one notification on their allowed channels. Returns the ids to poll.
 */
export async function sendKycStatusNotifications(
  deps: { models: Models; temporal: Client; config: { TASK_QUEUE_PREFIX: string; NOTIFY_BATCH_PAGE_SIZE: number } },
  service: { name: string },
  notice: KycStatusNotice,
): Promise<{ userId: string; notificationId: string }[]> {
  const userIds = [...new Set(notice.userIds)];
  // One `_id` read per user, not `{_id: {$in}}`: FerretDB pushes only an exact `{_id}` filter
  // down, so `$in` decoded every user of the collection on every batch (docs/performance.md).
  const unknown = new Set<string>();
  await forEachBounded(userIds, 25, async (id) => {
    if (!(await deps.models.User.exists({ _id: id }))) unknown.add(id);
  });
  const missing = userIds.filter((id) => unknown.has(id));
  if (missing.length) throw badRequest('UNKNOWN_USERS', 'Some users do not exist', { userIds: missing });

  const { event, data } = kycEvent(notice.status, notice.reason);
  // One durable batch for the whole fan-out (docs/notifications.md, "Bulk messages"): Temporal work
  // per page of recipients, not per message. A repeat with the same key and users is the same batch.
  const batchId = notice.idempotencyKey
    ? idempotentBatchId(service.name, notice.idempotencyKey, userIds)
    : randomUUID();
  const requests: NotificationRequest[] = userIds.map((userId) => ({
    notificationId: notice.idempotencyKey ? idempotentId(service.name, notice.idempotencyKey, userId) : randomUUID(),
    userId,
    event,
    data,
    channels: notice.channels,
  }));
  const source = `service:${service.name}`;
  // What the caller is told must be readable at once: the pending record is written before the
  // batch starts (the delivery's own insert of the same id is then a no-op duplicate).
  await insertPendingNotifications(
    deps.models,
    requests.map((r) => ({ ...r, source, batchId })),
  );
  const { pages } = await storeNotificationBatch(deps.models, {
    batchId,
    source,
    recipients: requests,
    pageSize: deps.config.NOTIFY_BATCH_PAGE_SIZE,
  });
  const queue = taskQueues(deps.config.TASK_QUEUE_PREFIX).notifications;
  await startNotificationBatch(deps.temporal, queue, { batchId, pages });
  return requests.map((r) => ({ userId: r.userId, notificationId: r.notificationId }));
}
