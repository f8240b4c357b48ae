import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * The current password-reset code of a user (`_id` = user id: a newer code replaces the older one,
 * and the API reads it by `_id` alone). The code itself is never stored: only a keyed digest bound to
 * the user and to this code's id (adapters/identity/password-reset.ts). Wrong guesses are counted as
 * `rateLimitSlots` `<codeId>#n` and single use is the insert of the audit event
 * `password-reset:<codeId>`: both unique-`_id` inserts, exact on FerretDB.
 */
const passwordResetCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Random per code: names its attempt slots and its audit event. */
    codeId: { type: String, required: true },
    /** HMAC-SHA-256 under a subkey of PII key `kid` (so a key rotation does not break a code in flight). */
    digest: { type: String, required: true },
    kid: { type: String, required: true },
    /** The notification whose email carried it. */
    notificationId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'passwordResetCodes', versionKey: false },
);

export type PasswordResetCodeDoc = InferSchemaType<typeof passwordResetCodeSchema> & { _id: string };

export function passwordResetCodeModel(conn: Connection) {
  return conn.model('PasswordResetCode', passwordResetCodeSchema);
}
