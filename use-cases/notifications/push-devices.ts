import { randomUUID } from 'node:crypto';

import type { Models } from '../../adapters/models';
import {
  type DeviceEntry,
  DeviceListBusyError,
  editUserDevices,
  MAX_DEVICES_PER_USER,
  readUserDevices,
} from '../../adapters/models/device';
import { conflict, notFound } from '../app-error';

type Deps = { models: Models };

/** Concurrent edits of one list all land (see editUserDevices); only endless contention is a 409. */
const editDevices = (deps: Deps, userId: string, edit: (list: DeviceEntry[]) => DeviceEntry[] | null) =>
  editUserDevices(deps.models, userId, edit).catch((err) => {
    if (err instanceof DeviceListBusyError) throw conflict('CONCURRENT_UPDATE', err.message);
    throw err;
  });

const mustExist = async (deps: Deps, userId: string) => {
  if (!(await deps.models.User.exists({ _id: userId }))) throw notFound('User');
};

/**
 * Registers a push device token for a user (at most MAX_DEVICES_PER_USER, else 409 TOO_MANY_DEVICES).
 * A token registered by another account (reinstall, shared device) moves to this one; one already
 * registered to this user is answered as it is.
 */
export async function registerPushDevice(
  deps: Deps,
  userId: string,
  device: { token: string; platform: DeviceEntry['platform'] },
): Promise<DeviceEntry> {
  await mustExist(deps, userId);
  const others = await deps.models.UserDevices.find(
    { 'devices.token': device.token, _id: { $ne: userId } },
    { _id: 1 },
  ).lean();
  for (const o of others) await editDevices(deps, o._id, (list) => list.filter((d) => d.token !== device.token));
  let entry: DeviceEntry | undefined;
  await editDevices(deps, userId, (list) => {
    entry = list.find((d) => d.token === device.token);
    if (entry) return null;
    if (list.length >= MAX_DEVICES_PER_USER)
      throw conflict('TOO_MANY_DEVICES', `At most ${MAX_DEVICES_PER_USER} devices per user`);
    entry = { _id: randomUUID(), token: device.token, platform: device.platform, createdAt: new Date() };
    return [...list, entry];
  });
  return entry!;
}

/** The user's registered devices, oldest first. */
export async function listPushDevices(deps: Deps, userId: string): Promise<DeviceEntry[]> {
  await mustExist(deps, userId);
  return (await readUserDevices(deps.models, userId)).devices;
}

/** Unregisters a token (e.g. on sign-out); whether it was registered to this user. */
export async function unregisterPushDevice(deps: Deps, userId: string, token: string): Promise<boolean> {
  let removed = false;
  await editDevices(deps, userId, (list) => {
    removed = list.some((d) => d.token === token);
    return removed ? list.filter((d) => d.token !== token) : null;
  });
  return removed;
}
