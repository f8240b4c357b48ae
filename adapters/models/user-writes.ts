import type { UpdateQuery } from 'mongoose';

import { type DocumentLockModel, type LockOptions, withDocumentLock } from './document-lock';
import { updateLocked, writeById } from './locked-update';
import type { UserDoc, UserModel } from './user';

export interface UserWriteModels {
  User: UserModel;
  DocumentLock: DocumentLockModel;
}

/** What to write (a fixed update), or a function of the current record deciding it (null: write nothing). */
export type UserUpdate = UpdateQuery<UserDoc>;
export type UserDecision = (current: UserDoc) => UpdateQuery<UserDoc> | null;

interface WriteOptions {
  runValidators?: boolean;
  lock?: LockOptions;
}

/**
 * THE way to change a user record: every writer (API routes, activities, ops) goes through here,
 * so concurrent writers of different fields cannot erase each other on FerretDB (see
 * document-lock.ts), and a decision taken on `current` (a compare-and-set, "only raise the KYC
 * level") holds until the write lands. A fixed update is written without reading first and gives
 * the record after; a decision gives the record before and after. Null: no such user.
 * test/unit/user-writes-single-path.test.ts refuses direct user updates elsewhere.
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
  if (typeof change !== 'function') {
    const after = await withDocumentLock(
      models.DocumentLock,
      `user:${userId}`,
      () => writeById<UserDoc>(models.User, userId, change, opts),
      opts.lock,
    );
    return after ? { after } : null;
  }
  const { before, after } = await updateLocked<UserDoc>(
    models.User,
    models.DocumentLock,
    'user',
    userId,
    (current) => change(current!),
    opts,
  );
  return before && after ? { before, after } : null;
}
