import type { UpdateQuery } from 'mongoose';

import { DocumentBusyError } from './document-lock';
import type { UserDoc, UserModel } from './user';

export interface UserWriteModels {
  User: UserModel;
}

/** What to write (a fixed update), or a function of the current record deciding it (null: write nothing). */
export type UserUpdate = UpdateQuery<UserDoc>;
export type UserDecision = (current: UserDoc) => UpdateQuery<UserDoc> | null;

interface WriteOptions {
  runValidators?: boolean;
  /** How long a decision keeps retrying against concurrent writers before RECORD_BUSY (DocumentBusyError). */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every write bumps `writeRev`, so a decision can be written only over the record it was taken
 * on. A record written before the field existed has none: `null` matches it (and only it) until
 * its first write sets 1.
 */
function withRevBump(update: UserUpdate): UserUpdate {
  return { ...update, $inc: { ...(update.$inc ?? {}), writeRev: 1 } };
}

/**
 * THE way to change a user record: every writer (API routes, activities, ops) goes through here
 * (test/unit/user-writes-single-path.test.ts refuses direct user updates elsewhere), so every
 * write bumps `writeRev`. The database applies each single-document write atomically (our
 * FerretDB build, test/api/database-atomicity.test.ts), so:
 * - a fixed update is one `findOneAndUpdate` by `_id` (1 round trip) and gives the record after;
 * - a decision taken on `current` (a compare-and-set, "only raise the KYC level") reads the record,
 *   decides, and writes with the filter `{ _id, writeRev: <as read> }` (2 round trips): if any
 *   other write landed in between, the filter matches nothing and the decision is taken again on
 *   the new record, so it holds until its write lands, as it did under the per-user write lock
 *   this replaces. It gives the record before and after.
 * Null: no such user. A decision still losing after `waitMs` (a record written without pause)
 * throws DocumentBusyError, answered 503 RECORD_BUSY (an activity retries).
 */
export function updateUser(
  models: UserWriteModels,
  userId: string,
  change: UserDecision,
  opts?: WriteOptions,
): Promise<{ before: UserDoc; after: UserDoc } | null>;
export function updateUser(
  models: UserWriteModels,
  userId: string,
  change: UserUpdate,
  opts?: WriteOptions,
): Promise<{ after: UserDoc } | null>;
export async function updateUser(
  models: UserWriteModels,
  userId: string,
  change: UserDecision | UserUpdate,
  opts: WriteOptions = {},
) {
  const options = { new: true, lean: true, runValidators: opts.runValidators ?? false };
  if (typeof change !== 'function') {
    const after = (await models.User.findOneAndUpdate({ _id: userId }, withRevBump(change), options)) as UserDoc | null;
    return after ? { after } : null;
  }
  const giveUpAt = Date.now() + (opts.waitMs ?? 10_000);
  for (let attempt = 0; ; attempt++) {
    const before = (await models.User.findById(userId).lean()) as UserDoc | null;
    if (!before) return null;
    const update = change(before);
    if (!update) return { before, after: before };
    const after = (await models.User.findOneAndUpdate(
      { _id: userId, writeRev: before.writeRev ?? null },
      withRevBump(update),
      options,
    )) as UserDoc | null;
    if (after) return { before, after };
    // Another write landed since the read (or the user was deleted): decide again on what is there now.
    if (Date.now() > giveUpAt) throw new DocumentBusyError(`user:${userId}`);
    // Jittered and growing a little, so writers racing on one record spread out instead of colliding again.
    await sleep(Math.random() * Math.min(20, 2 * (attempt + 1)));
  }
}
