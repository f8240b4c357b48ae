import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * "Something analytics counts has changed": one insert per write that changes a user's counted
 * state (status, role, type, KYC level, tier, country, tenant, activity) or records a transaction.
 * The analytics roller reads the referenced record by `_id`, folds it into the read models and
 * deletes the entry. Insert-only on the write path, so it is exact under concurrency on FerretDB.
 */
const analyticsOutboxSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    kind: { type: String, enum: ['user', 'transaction', 'verification-request', 'activity'], required: true },
    /** The `_id` of the changed record (user id, transaction id, request id). */
    ref: { type: String, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'analyticsOutbox', versionKey: false },
);

export type AnalyticsOutboxDoc = InferSchemaType<typeof analyticsOutboxSchema>;

export function analyticsOutboxModel(conn: Connection) {
  return conn.model('AnalyticsOutbox', analyticsOutboxSchema);
}
