import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { isDuplicateKeyError } from './duplicate-key';

/**
 * Short write locks on shared documents (`_id` = the locked document's key). FerretDB applies an
 * update as read-the-document, change it, write it back, without isolation: measured, 10
 * concurrent `$set`s of ten DIFFERENT fields of one document kept 1–2 of them (177 of 200 lost).
 * The unique `_id` insert is the one atomic step it has, so it is the lock. Locks carry a lease:
 * a process that dies holding one delays the next writer by at most the lease, never forever.
 */
const documentLockSchema = new Schema(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'documentLocks', versionKey: false },
);

export function documentLockModel(conn: Connection) {
  return conn.model('DocumentLock', documentLockSchema);
}

export type DocumentLockModel = ReturnType<typeof documentLockModel>;

/** The lock stayed taken for the whole wait (a hot document or a stuck writer): retry later. */
export class DocumentBusyError extends Error {
  constructor(readonly key: string) {
    super(`The record ${key} is being changed by another request, try again`);
  }
}

export interface LockOptions {
  /** How long a holder may keep the lock before others may break it. */
  leaseMs?: number;
  /** How long to wait for the lock before giving up with DocumentBusyError. */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` while holding the write lock `key`; `fn` should be a few database operations. */
export async function withDocumentLock<T>(locks: DocumentLockModel, key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const owner = randomUUID();
  const leaseMs = opts.leaseMs ?? 15_000;
  const giveUpAt = Date.now() + (opts.waitMs ?? 10_000);
  for (let attempt = 0; ; attempt++) {
    try {
      await locks.create({ _id: key, owner, expiresAt: new Date(Date.now() + leaseMs) });
      break;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    const held = await locks.findById(key).lean();
    if (held && held.expiresAt.getTime() < Date.now()) {
      // The holder died (or hung past its lease): break its lock, only that one.
      await locks.deleteOne({ _id: key, owner: held.owner });
      continue;
    }
    if (Date.now() > giveUpAt) throw new DocumentBusyError(key);
    // Jittered and growing a little, so a crowd of waiters spreads out instead of stampeding.
    await sleep(1 + Math.random() * Math.min(40, 2 * (attempt + 1)));
  }
  try {
    return await fn();
  } finally {
    await locks.deleteOne({ _id: key, owner }).catch(() => undefined);
  }
}
