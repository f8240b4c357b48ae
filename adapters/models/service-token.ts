import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/** Credentials for internal systems. Only the SHA-256 of the (high-entropy) token is stored. */
const serviceTokenSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    name: { type: String, required: true, index: true },
    scopes: { type: [String], required: true },
    tokenHash: { type: String, required: true, unique: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { collection: 'serviceTokens', timestamps: true, versionKey: false },
);

export type ServiceTokenDoc = InferSchemaType<typeof serviceTokenSchema> & { _id: string; createdAt: Date };

export function serviceTokenModel(conn: Connection) {
  return conn.model('ServiceToken', serviceTokenSchema);
}
