import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { CHANNELS } from '../../../workflows/notify.contract';

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One channel of one notification. `_id` is the delivery key `<notificationId>.<channel>`: the
 * unique index that makes retries and crashed workers converge on a single provider send.
 * `sending` is written before the provider call and `sent` (with the provider's id) after it;
 * a `sending` record found by a retry is reconciled against provider callbacks before any resend.
 */
const notificationDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    notificationId: { type: String, required: true, index: true },
    userId: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, default: 'pending' },
    attempts: { type: Number, default: 0 },
    sendingAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    providerMessageId: { type: String, default: null },
    /** Last status reported by the provider's callback (Twilio MessageStatus, SendGrid event). */
    providerStatus: { type: String, default: null },
    providerStatusAt: { type: Date, default: null },
    /** Set when the provider refused for good (invalid number, unsubscribed, unregistered token). */
    error: { type: new Schema({ code: String, message: String }, { _id: false }), default: null },
    fallbackFor: { type: String, default: null },
  },
  { collection: 'notificationDeliveries', timestamps: true, versionKey: false },
);
notificationDeliverySchema.index({ providerMessageId: 1 });

export type NotificationDeliveryDoc = InferSchemaType<typeof notificationDeliverySchema> & { _id: string; updatedAt: Date };

export function notificationDeliveryModel(conn: Connection) {
  return conn.model('NotificationDelivery', notificationDeliverySchema);
}
