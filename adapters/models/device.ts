import { type Connection, type InferSchemaType, Schema } from 'mongoose';

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
 * a primary-key lookup. A token belongs to one user at a time (registration moves it). The list
 * is versioned: this document is the newest version's copy, `deviceListVersions` the record.
 */
const userDevicesSchema = new Schema(
  {
    _id: { type: String, required: true },
    devices: { type: [deviceSchema], default: [] },
    /** The newest version of the list this hint holds (see deviceListVersions). */
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
 * Every version of every user's device list (`_id` = `<userId>#v<n>`), written once. Claiming the
 * next version by insert is the compare-and-set: on FerretDB a conditional update is not atomic
 * (two writers that read version n both "win" and one device is lost), a unique `_id` insert is.
 */
const deviceListVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true },
    devices: { type: [deviceSchema], default: [] },
    createdAt: { type: Date, default: () => new Date() },
  },
  { collection: 'deviceListVersions', versionKey: false },
);

export function deviceListVersionModel(conn: Connection) {
  return conn.model('DeviceListVersion', deviceListVersionSchema);
}

export interface DeviceModels {
  UserDevices: UserDevicesModel;
  DeviceListVersion: ReturnType<typeof deviceListVersionModel>;
}

/** Thrown when a user's device list stayed contended for every attempt (callers answer 409). */
export class DeviceListBusyError extends Error {
  constructor() {
    super('The device list is being edited concurrently, try again');
  }
}

const versionId = (userId: string, version: number) => `${userId}#v${version}`;

/**
 * A user's current device list. The `devices` document is only a hint of the newest version (its
 * write can land late); the versions written after it are found by `_id` probes, so the answer is
 * the newest claimed version even while an edit is half-done.
 */
export async function readUserDevices(
  models: DeviceModels,
  userId: string,
): Promise<{ version: number; devices: DeviceEntry[] }> {
  const hint = await models.UserDevices.findById(userId).lean();
  let version = hint?.version ?? 0;
  let devices = (hint?.devices ?? []) as DeviceEntry[];
  for (;;) {
    const next = await models.DeviceListVersion.findById(versionId(userId, version + 1)).lean();
    if (!next) return { version, devices };
    version = next.version;
    devices = next.devices as DeviceEntry[];
  }
}

/**
 * Edits one user's device list: `edit` gets the current list and returns the new one (or null to
 * leave it). The edit claims version n+1 by insert; a writer that lost the race reads again and
 * re-applies its edit to the winner's list, so concurrent edits all land (none overwrites
 * another). Returns the list as stored.
 */
export async function editUserDevices(
  models: DeviceModels,
  userId: string,
  edit: (devices: DeviceEntry[]) => DeviceEntry[] | null,
  opts: { maxAttempts?: number } = {},
): Promise<DeviceEntry[]> {
  const maxAttempts = opts.maxAttempts ?? 100;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const { version, devices } = await readUserDevices(models, userId);
    const next = edit(devices);
    if (!next) return devices;
    try {
      await models.DeviceListVersion.create({
        _id: versionId(userId, version + 1),
        userId,
        version: version + 1,
        devices: next,
      });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Lost to a concurrent edit: back off a little (jittered, so racers spread out) and retry.
      await new Promise((r) => setTimeout(r, 2 + Math.random() * Math.min(50, 5 * (attempt + 1))));
      continue;
    }
    await writeHint(models, userId, version + 1, next);
    return next;
  }
  throw new DeviceListBusyError();
}

/** Moves the hint forward (a late, older hint only costs readers an extra probe). */
async function writeHint(models: DeviceModels, userId: string, version: number, devices: DeviceEntry[]) {
  try {
    await models.UserDevices.updateOne({ _id: userId }, { $set: { devices, version } }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // two first upserts at once: the other created it
    await models.UserDevices.updateOne({ _id: userId }, { $set: { devices, version } });
  }
}
