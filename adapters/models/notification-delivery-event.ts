import { type Connection, type InferSchemaType, Schema } from 'mongoose';

export const DELIVERY_OUTCOMES = ['sent', 'delivered', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/**
 * The *outcome* half of the delivery ledger: immutable facts about one delivery, each a unique
 * insert so repeated and racing reporters (the worker after the provider call, Twilio's and
 * SendGrid's callbacks) converge without a conditional update:
 *  - `<deliveryKey>:sent` / `:delivered` / `:failed`: the first reporter of each outcome wins;
 *  - `<deliveryKey>:claim.<n>`: the arbiter between racing retries re-claiming attempt `n`.
 * Inserts and reads by `_id` cost the same at any collection size on both MongoDB and FerretDB,
 * where a filtered update scans the whole collection (measured in docs/architecture.md).
 */
const notificationDeliveryEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    deliveryKey: { type: String, required: true },
    /** `sent`, `delivered`, `failed` or `claim`. */
    kind: { type: String, required: true },
    /** Who reported it: the worker that called the provider, or the provider's callback. */
    source: { type: String, enum: ['worker', 'callback'], required: true },
    providerMessageId: { type: String, default: null },
    /** Twilio MessageStatus or SendGrid event name, when a callback reported it. */
    providerStatus: { type: String, default: null },
    error: { type: new Schema({ code: String, message: String }, { _id: false }), default: null },
  },
  { collection: 'notificationDeliveryEvents', timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

// Failures per channel for /metrics (adapters/business-gauges/notification-failures.ts): a range on
// MongoDB; FerretDB scans either way.
notificationDeliveryEventSchema.index({ kind: 1, createdAt: 1 });

export type NotificationDeliveryEventDoc = InferSchemaType<typeof notificationDeliveryEventSchema> & {
  _id: string;
  createdAt: Date;
};

export function notificationDeliveryEventModel(conn: Connection) {
  return conn.model('NotificationDeliveryEvent', notificationDeliveryEventSchema);
}
