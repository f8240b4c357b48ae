import { type Connection, type InferSchemaType, Schema } from 'mongoose';

import { CHANNELS, NOTIFICATION_EVENTS } from '../../domain/contracts/notify.contract';

/** One requested message (event + recipient); its per-channel outcomes live in notificationDeliveries. */
const notificationSchema = new Schema(
  {
    /** The caller's idempotency key; also the workflow id suffix (`notify-<id>`). */
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    event: { type: String, enum: NOTIFICATION_EVENTS, required: true },
    requestedChannels: { type: [{ type: String, enum: CHANNELS }], default: null },
    /** Who asked: `service:<name>`, `user:<id>` or `workflow`. */
    source: { type: String, required: true },
    /** Set when a batch delivers it (`notify-batch-<batchId>`); absent: its own `notify-<id>` run. */
    batchId: { type: String, default: null },
    status: { type: String, enum: ['pending', 'sent', 'failed'], default: 'pending', index: true },
    completedAt: { type: Date, default: null },
  },
  { collection: 'notifications', timestamps: true, versionKey: false },
);

export type NotificationDoc = InferSchemaType<typeof notificationSchema> & { _id: string; createdAt: Date };

export function notificationModel(conn: Connection) {
  return conn.model('Notification', notificationSchema);
}
