import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * Refresh tokens, stored only as SHA-256 digests. Each is usable once: refreshing issues its
 * successor in the same family; presenting a spent one again is theft. "Spent" is decided by the
 * unique `parentId` (a token has at most one successor), not by a compare-and-set update: FerretDB
 * 1.24 as published did not make findAndModify atomic under concurrency (our build does,
 * infra/install-tools.js), and a unique index holds on any database.
 */
const refreshTokenSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    tokenHash: { type: String, required: true, unique: true },
    familyId: { type: String, required: true, index: true },
    /** The token this one replaced, or `root:<familyId>` for the first of a family. */
    parentId: { type: String, required: true, unique: true },
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
