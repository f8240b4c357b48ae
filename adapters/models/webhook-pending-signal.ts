import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A provider webhook acknowledged but not yet signalled to its workflow: `_id` = the inbox event's
 * `_id`. Inserted with the inbox entry (before the 200), deleted once the signal got through, so
 * the collection holds only what is in flight or was left behind by a crash. The sweeper lists
 * this small collection instead of filtering webhookEvents on `signaledAt: null`, which FerretDB
 * would answer by decoding every inbox entry ever received.
 */
const webhookPendingSignalSchema = new Schema(
  {
    _id: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** What to send and where (provider, workflow, user, signal), sealed: decisions carry personal data. */
    deliverySealed: { type: String, required: true },
  },
  { collection: 'webhookPendingSignals', versionKey: false },
);

export type WebhookPendingSignalDoc = InferSchemaType<typeof webhookPendingSignalSchema>;

export function webhookPendingSignalModel(conn: Connection) {
  return conn.model('WebhookPendingSignal', webhookPendingSignalSchema);
}
