import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * Inbox of provider webhooks. `_id` is the provider's event identity, so a duplicate delivery
 * stops at the unique index; `signaledAt` stays null until the owning workflow has been told,
 * so a redelivery after a failed signal still gets through.
 */
const webhookEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    provider: { type: String, enum: ['veriff', 'bridge'], required: true },
    eventType: { type: String, required: true },
    workflowId: { type: String, default: null },
    receivedAt: { type: Date, required: true, default: () => new Date() },
    /** Always 1 (this first delivery); repeats are rows in webhookDeliveries: see webhook-delivery.ts. */
    deliveries: { type: Number, default: 1 },
    signaledAt: { type: Date, default: null },
    /** Routing failed (no such user/workflow): kept for operators, answered 2xx. */
    unroutable: { type: Boolean, default: false },
    /** The raw body, sealed with the field cipher: decisions carry personal data. */
    payloadSealed: { type: String, required: true },
  },
  { collection: 'webhookEvents', versionKey: false },
);
webhookEventSchema.index({ provider: 1, receivedAt: -1 });
// The case sweep: unroutable events, and acknowledged ones never signalled.
webhookEventSchema.index({ unroutable: 1, signaledAt: 1, receivedAt: 1 });

export type WebhookEventDoc = InferSchemaType<typeof webhookEventSchema>;

export function webhookEventModel(conn: Connection) {
  return conn.model('WebhookEvent', webhookEventSchema);
}
