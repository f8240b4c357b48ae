import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A repeated delivery of a provider webhook: `_id` = `<webhook event id>#<n>` (n ≥ 2; the first
 * delivery is the webhookEvents document itself). One insert per duplicate instead of `$inc` on
 * the event, which loses increments under concurrent duplicates on FerretDB.
 */
const webhookDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true, index: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'webhookDeliveries', versionKey: false },
);

export type WebhookDeliveryDoc = InferSchemaType<typeof webhookDeliverySchema>;

export function webhookDeliveryModel(conn: Connection) {
  return conn.model('WebhookDelivery', webhookDeliverySchema);
}

/** How many times the provider delivered an event: its webhookEvents document plus one row per repeat. */
export async function countWebhookDeliveries(
  model: ReturnType<typeof webhookDeliveryModel>,
  eventId: string,
): Promise<number> {
  return 1 + (await model.countDocuments({ eventId }));
}
