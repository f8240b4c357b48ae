import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type InferSchemaType } from 'mongoose';

/** A push token registered by an app install. Unique on the token: a reinstall moves it to the new user. */
const deviceSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    userId: { type: String, required: true, index: true },
    token: { type: String, required: true, unique: true },
    platform: { type: String, enum: ['ios', 'android', 'web'], required: true },
  },
  { collection: 'devices', timestamps: true, versionKey: false },
);

export type DeviceDoc = InferSchemaType<typeof deviceSchema> & { _id: string; createdAt: Date };

export function deviceModel(conn: Connection) {
  return conn.model('Device', deviceSchema);
}
