import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * One counted hit of a fixed window: `_id` = `<window>#<n>`. Counting by inserting the next free
 * slot makes the unique `_id` the arbiter, which holds across API instances even on FerretDB 1.x,
 * whose `$inc` loses updates under concurrency (measured: 50 parallel $inc → 8). FerretDB 1.x also
 * ignores TTL indexes, so expired slots are deleted by the limiter itself.
 */
const rateLimitSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `<bucket>:<key>:<windowStart>` */
    window: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'rateLimitSlots', versionKey: false },
);

export type RateLimitSlotDoc = InferSchemaType<typeof rateLimitSlotSchema>;

export function rateLimitSlotModel(conn: Connection) {
  return conn.model('RateLimitSlot', rateLimitSlotSchema);
}
