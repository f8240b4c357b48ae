import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * Per-user channel consent, in its own collection keyed by userId (the users collection belongs
 * to identity). Missing document = every channel allowed, English.
 */
const notificationPreferenceSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: Boolean, default: true },
    sms: { type: Boolean, default: true },
    push: { type: Boolean, default: true },
    /** Template language (BCP 47 primary tag); templates fall back to `en`. */
    language: { type: String, default: 'en' },
  },
  { collection: 'notificationPreferences', timestamps: true, versionKey: false },
);

export type NotificationPreferenceDoc = InferSchemaType<typeof notificationPreferenceSchema> & {
  _id: string;
  updatedAt: Date;
};

export function notificationPreferenceModel(conn: Connection) {
  return conn.model('NotificationPreference', notificationPreferenceSchema);
}
