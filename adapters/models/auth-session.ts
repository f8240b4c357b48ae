import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A login session = one refresh-token family. Access tokens carry its id (`sid`), so revoking
 * the session (logout, refresh-token reuse) cuts off its access tokens too.
 */
const authSessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    tenantId: { type: String, default: null },
    /** users.tokenVersion when the session began: a later bump (role/status change) ends it. */
    tokenVersion: { type: Number, required: true },
    /** `password` or `client:<apiClientId>` (partner-minted). */
    origin: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastRefreshedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
  },
  { collection: 'authSessions', versionKey: false },
);

export type AuthSessionDoc = InferSchemaType<typeof authSessionSchema>;

export function authSessionModel(conn: Connection) {
  return conn.model('AuthSession', authSessionSchema);
}
