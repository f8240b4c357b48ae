import type { Model, QueryOptions, UpdateQuery } from 'mongoose';

import { type DocumentLockModel, type LockOptions, withDocumentLock } from './document-lock';

export interface LockedUpdateOptions {
  runValidators?: boolean;
  /** Create the document when it is missing (the decision then sees `null`). */
  upsert?: boolean;
  lock?: LockOptions;
}

/**
 * Changes one document by `_id` under its write lock (document-lock.ts): a decision read before an
 * unlocked write may be stale by the time it lands (and on FerretDB as published, two unlocked
 * updates of DIFFERENT fields of one document erased each other). `decide` sees the record as it
 * is under the lock and returns the update (null: write nothing), written only while the lock is
 * still this writer's (`assertHeld`). Lock keys are `<lockPrefix>:<id>`, so one document has one
 * lock whoever writes it.
 */
export async function updateLocked<D>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model keyed by a string _id; D types its documents
  model: Model<any>,
  locks: DocumentLockModel,
  lockPrefix: string,
  id: string,
  decide: (current: D | null) => UpdateQuery<D> | null,
  opts: LockedUpdateOptions = {},
): Promise<{ before: D | null; after: D | null }> {
  return withDocumentLock(
    locks,
    `${lockPrefix}:${id}`,
    async (hold) => {
      const before = (await model.findById(id).lean()) as D | null;
      if (!before && !opts.upsert) return { before, after: null };
      const update = decide(before);
      if (!update) return { before, after: before };
      // Decided on `before`: written only while no other writer can have changed it since.
      hold.assertHeld();
      return { before, after: await writeById<D>(model, id, update, opts) };
    },
    opts.lock,
  );
}

/** The write itself, for callers that already hold the lock (a fixed update needs no read first). */
export async function writeById<D>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model keyed by a string _id; D types its documents
  model: Model<any>,
  id: string,
  update: UpdateQuery<D>,
  opts: Pick<LockedUpdateOptions, 'runValidators' | 'upsert'> = {},
): Promise<D | null> {
  const options: QueryOptions = {
    new: true,
    lean: true,
    runValidators: opts.runValidators ?? false,
    upsert: opts.upsert ?? false,
  };
  return (await model.findOneAndUpdate({ _id: id }, update, options)) as D | null;
}
