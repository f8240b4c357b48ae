import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * One fixed window of a counter (`<bucket>:<key>:<windowStart>`), bumped with an atomic $inc so
 * every API instance shares it. FerretDB 1.x ignores TTL indexes, so expired windows are
 * deleted by the limiter itself (see services/api/auth/rate-limiter.ts); on MongoDB the index
 * on expiresAt keeps that sweep cheap.
 */
const rateLimitWindowSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true, default: 0 },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'rateLimitWindows', versionKey: false },
);

export type RateLimitWindowDoc = InferSchemaType<typeof rateLimitWindowSchema>;

export function rateLimitWindowModel(conn: Connection) {
  return conn.model('RateLimitWindow', rateLimitWindowSchema);
}
