import { type Connection, type InferSchemaType, Schema } from 'mongoose';

import { CHANNELS } from '../../domain/contracts/notify.contract';

/** What a reader sees for one delivery: the attempt state, overridden by any recorded outcome. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One channel of one notification: the *attempt* half of the ledger. `_id` is the delivery key
 * `<notificationId>.<channel>`; inserting it is the first attempt's claim on the provider call.
 * Only the attempt holding the claim writes this document afterwards (`sending` → `pending` when
 * the provider refused, `attempts`/`sendingAt` when a retry re-claims). What happened at the
 * provider (sent, delivered, failed) is never written here: those are immutable facts in
 * `notificationDeliveryEvents`, so a worker and a racing status callback never write the same
 * document (FerretDB's read-modify-write would lose one of them).
 */
const notificationDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    notificationId: { type: String, required: true, index: true },
    userId: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    /** `sending` while an attempt holds the claim, `pending` after the provider refused it. */
    status: { type: String, enum: DELIVERY_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    sendingAt: { type: Date, default: null },
    fallbackFor: { type: String, default: null },
  },
  { collection: 'notificationDeliveries', timestamps: true, versionKey: false },
);

export type NotificationDeliveryDoc = InferSchemaType<typeof notificationDeliverySchema> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
};

export function notificationDeliveryModel(conn: Connection) {
  return conn.model('NotificationDelivery', notificationDeliverySchema);
}
