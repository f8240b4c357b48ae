import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A set-password link sent in a staff welcome email. Only the SHA-256 digest of the token is the
 * `_id` (the token itself is in the email only: the notifications worker mints it while sending,
 * and each new one deletes the user's older ones). Single use is decided by an insert, not an
 * update: see adapters/identity/password-setup.ts.
 */
const passwordSetupTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'passwordSetupTokens', timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

export type PasswordSetupTokenDoc = InferSchemaType<typeof passwordSetupTokenSchema> & { _id: string };

export function passwordSetupTokenModel(conn: Connection) {
  return conn.model('PasswordSetupToken', passwordSetupTokenSchema);
}
