import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/**
 * Refresh tokens, stored only as SHA-256 digests. Each is usable once: refreshing marks it
 * `usedAt` and issues its successor in the same family; presenting a used one again is theft.
 */
const refreshTokenSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    tokenHash: { type: String, required: true, unique: true },
    familyId: { type: String, required: true, index: true },
    userId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true, index: true },
    usedAt: { type: Date, default: null },
  },
  { collection: 'refreshTokens', versionKey: false },
);

export type RefreshTokenDoc = InferSchemaType<typeof refreshTokenSchema>;

export function refreshTokenModel(conn: Connection) {
  return conn.model('RefreshToken', refreshTokenSchema);
}
