import { randomUUID } from 'node:crypto';

import { type Connection, Schema } from 'mongoose';

import { isDuplicateKeyError } from './duplicate-key';

/**
 * Short write locks on shared documents (`_id` = the locked document's key). FerretDB 1.24 as
 * published applies an update as read-the-document, change it, write it back, without isolation:
 * measured, 10 concurrent `$set`s of ten DIFFERENT fields of one document kept 1–2 of them (177 of
 * 200 lost). Our build makes single-document writes atomic (infra/install-tools.js, issue 22), as
 * MongoDB's are, so user records no longer take it (adapters/models/user-writes.ts writes a
 * decision with a compare-and-set on `writeRev`, issue 23); it still makes a decision read before a
 * write hold until the write lands where its callers use it (notification preferences, through
 * locked-update.ts). The unique `_id` insert takes it; the
 * owner is a UUID per acquisition, so releasing or breaking by `{_id, owner}` never removes a
 * later holder's lock. Locks carry a lease: a process that dies holding one delays the next writer
 * by at most the lease, never forever. A live holder renews its lease while `fn` runs (up to
 * `maxHoldMs`), and `hold.assertHeld()` refuses a write once its lease may have run out.
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
  constructor(
    readonly key: string,
    message = `The record ${key} is being changed by another request, try again`,
  ) {
    super(message);
  }
}

/**
 * The holder's lease may have run out before its write (renewals failed or were late, or `fn` ran
 * past `maxHoldMs`): another writer may hold the lock now, so the write is not made. Retryable,
 * like DocumentBusyError (an API answers 503 RECORD_BUSY, an activity is retried).
 */
export class LockLostError extends DocumentBusyError {
  constructor(key: string) {
    super(key, `The write lock ${key} ran out before the write, try again`);
  }
}

/** What `fn` holds: call `assertHeld()` right before the write the lock protects. */
export interface LockHold {
  /** Throws LockLostError unless the lease this holder last set is still running and the lock was not found taken over. */
  assertHeld(): void;
}

export interface LockOptions {
  /** How long a holder may keep the lock before others may break it. */
  leaseMs?: number;
  /** How long to wait for the lock before giving up with DocumentBusyError. */
  waitMs?: number;
  /** How long a live holder keeps renewing its lease (a hung `fn` frees the document after this plus a lease). */
  maxHoldMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` while holding the write lock `key`; `fn` should be a few database operations. */
export async function withDocumentLock<T>(
  locks: DocumentLockModel,
  key: string,
  fn: (hold: LockHold) => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const owner = randomUUID();
  const leaseMs = opts.leaseMs ?? 15_000;
  const giveUpAt = Date.now() + (opts.waitMs ?? 10_000);
  let leaseEndsAt = 0; // the expiresAt this holder last wrote, by this process's clock
  for (let attempt = 0; ; attempt++) {
    try {
      const at = Date.now();
      await locks.create({ _id: key, owner, expiresAt: new Date(at + leaseMs) });
      leaseEndsAt = at + leaseMs;
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

  // Renew at a third of the lease, so one late or failed renewal does not let a waiter in. A
  // renewal that matches nothing means the lock was broken: this holder must not write any more.
  let takenOver = false;
  let renewing = false;
  const renewUntil = Date.now() + (opts.maxHoldMs ?? 4 * leaseMs);
  const renew = async () => {
    const at = Date.now();
    if (at + leaseMs > renewUntil) return clearInterval(renewal);
    const res = await locks.updateOne({ _id: key, owner }, { $set: { expiresAt: new Date(at + leaseMs) } });
    if (res.matchedCount === 1) leaseEndsAt = Math.max(leaseEndsAt, at + leaseMs);
    else takenOver = true;
  };
  const renewal = setInterval(
    () => {
      if (renewing) return; // one at a time: a slow database does not pile renewals up
      renewing = true;
      renew()
        .catch(() => undefined)
        .finally(() => (renewing = false));
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  renewal.unref();
  const hold: LockHold = {
    assertHeld() {
      if (takenOver || Date.now() >= leaseEndsAt) throw new LockLostError(key);
    },
  };
  try {
    return await fn(hold);
  } finally {
    clearInterval(renewal);
    await locks.deleteOne({ _id: key, owner }).catch(() => undefined);
  }
}
