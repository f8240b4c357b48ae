import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';

const deviceSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
    platform: { type: String, enum: ['ios', 'android', 'web'], required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A user's push devices, one document per user (`_id` = userId): the send path reads them with
 * a primary-key lookup. A token belongs to one user at a time (registration moves it).
 */
const userDevicesSchema = new Schema(
  {
    _id: { type: String, required: true },
    devices: { type: [deviceSchema], default: [] },
    /** Optimistic concurrency for edits (the portable subset has no conditional $pull). */
    version: { type: Number, default: 0 },
  },
  { collection: 'devices', versionKey: false },
);
userDevicesSchema.index({ 'devices.token': 1 });

export type UserDevicesDoc = InferSchemaType<typeof userDevicesSchema> & { _id: string };
export const MAX_DEVICES_PER_USER = 20;

export function userDevicesModel(conn: Connection) {
  return conn.model('UserDevices', userDevicesSchema);
}

export type UserDevicesModel = ReturnType<typeof userDevicesModel>;
export type DeviceEntry = { _id: string; token: string; platform: 'ios' | 'android' | 'web'; createdAt: Date };

/**
 * Read-modify-write of one user's device list, retried on a concurrent edit. `edit` returns the
 * new list, or null to leave the document alone. Returns the list as stored.
 */
export async function editUserDevices(model: UserDevicesModel, userId: string, edit: (devices: DeviceEntry[]) => DeviceEntry[] | null): Promise<DeviceEntry[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const doc = await model.findById(userId).lean();
    const current = (doc?.devices ?? []) as DeviceEntry[];
    const next = edit(current);
    if (!next) return current;
    try {
      const res = doc
        ? await model.updateOne({ _id: userId, version: doc.version }, { $set: { devices: next }, $inc: { version: 1 } })
        : await model.create({ _id: userId, devices: next, version: 1 }).then(() => ({ modifiedCount: 1 }));
      if (res.modifiedCount === 1) return next;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err; // created concurrently: read again
    }
  }
  throw new Error('device list is being edited concurrently, try again');
}
