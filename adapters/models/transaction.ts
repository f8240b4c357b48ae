import { type Connection, type InferSchemaType, Schema } from 'mongoose';

export const TRANSACTION_DIRECTIONS = ['onramp', 'offramp'] as const;
export type TransactionDirection = (typeof TRANSACTION_DIRECTIONS)[number];

/**
 * A user's money movement as an internal system reported it (partner KYC tiers, analytics
 * averages). `_id` is `<tenantId>:<caller's transaction id>`, so recording twice is one insert that
 * wins and one duplicate-key error — exact under concurrency on every backend, and found by `_id`
 * alone (the only lookup the embedded database answers without a scan).
 */
const transactionSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    userId: { type: String, required: true },
    /** The caller's own id for the transaction (idempotency key within the tenant). */
    externalId: { type: String, required: true },
    direction: { type: String, enum: TRANSACTION_DIRECTIONS, required: true },
    /** In major units of `currency`, as the tier rules are written. */
    amount: { type: Number, required: true, min: 0 },
    currency: { type: String, required: true, uppercase: true, minlength: 3, maxlength: 3 },
    /** When the transaction happened, as the caller reported it (UTC); analytics buckets by this. */
    createdAt: { type: Date, required: true },
    /** When the API stored it (server clock): the tier rules' 30-day window and the hold deadline use this. */
    recordedAt: { type: Date, required: true, default: () => new Date() },
    /** Tier (partner KYC) the amount needs; set by the partner-KYC rules when recorded. */
    requiredTier: { type: String, enum: ['none', 'basic', 'advanced', null], default: null },
    /** recorded (allowed), held (step-up wait), released, declined. */
    status: { type: String, enum: ['recorded', 'held', 'released', 'declined'], default: 'recorded' },
  },
  { collection: 'transactions', versionKey: false },
);

export type TransactionDoc = InferSchemaType<typeof transactionSchema> & { _id: string };

export const transactionKey = (tenantId: string, externalId: string) => `${tenantId}:${externalId}`;

export function transactionModel(conn: Connection) {
  return conn.model('Transaction', transactionSchema);
}
