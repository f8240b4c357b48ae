import type { QueryOptions, UpdateQuery } from 'mongoose';
import { withDocumentLock, type DocumentLockModel, type LockOptions } from './document-lock';
import type { UserDoc, UserModel } from './user';

export interface UserWriteModels {
  User: UserModel;
  DocumentLock: DocumentLockModel;
}

/** What to write, or a function of the current record deciding it (null: write nothing). */
export type UserChange = UpdateQuery<UserDoc> | ((current: UserDoc) => UpdateQuery<UserDoc> | null);

/**
 * THE way to change a user record: every writer (API routes, activities, ops) goes through here,
 * so concurrent writers of different fields cannot erase each other on FerretDB (see
 * document-lock.ts), and a decision taken on `current` (a compare-and-set, "only raise the KYC
 * level") holds until the write lands. Returns the record before and after, or null when there
 * is no such user. test/unit/architecture-floors.test.ts refuses direct user updates elsewhere.
 */
export async function updateUser(
  models: UserWriteModels,
  userId: string,
  change: UserChange,
  opts: { runValidators?: boolean; lock?: LockOptions } = {},
): Promise<{ before: UserDoc; after: UserDoc } | null> {
  return withDocumentLock(
    models.DocumentLock,
    `user:${userId}`,
    async () => {
      const before = (await models.User.findById(userId).lean()) as UserDoc | null;
      if (!before) return null;
      const update = typeof change === 'function' ? change(before) : change;
      if (!update) return { before, after: before };
      const options: QueryOptions = { new: true, lean: true, runValidators: opts.runValidators ?? false };
      const after = (await models.User.findOneAndUpdate({ _id: userId }, update, options)) as UserDoc | null;
      return after ? { before, after } : null;
    },
    opts.lock,
  );
}
