import { randomUUID } from 'node:crypto';

import { LockLostError, withDocumentLock } from '../../adapters/models/document-lock';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { waitFor } from '../helpers/wait';

/**
 * Issue 22 item 5: the app's write lock (adapters/models/document-lock.ts) had a fixed lease and
 * no renewal, so a holder running past it let a second writer in and both wrote. A live holder now
 * renews its lease while it runs, and a holder whose lease ran out anyway is refused its write.
 */
describe('document write locks', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Until the first holder has the lock (a fixed pause lost that race on a loaded machine). */
  const heldBySomeone = (key: string) =>
    waitFor(
      () => db.models.DocumentLock.findById(key).lean(),
      (lock) => lock !== null,
    );
  const probe = () => db.conn.db!.collection<{ _id: string; [field: string]: unknown }>('lockProbe');

  it('a holder that runs four times its lease keeps the lock: the next writer waits for it', async () => {
    const locks = db.models.DocumentLock;
    const key = `probe:${randomUUID()}`;
    const spans: Record<string, [number, number]> = {};
    const run = (name: string, ms: number) =>
      withDocumentLock(
        locks,
        key,
        async (hold) => {
          const start = Date.now();
          await sleep(ms);
          hold.assertHeld();
          spans[name] = [start, Date.now()];
        },
        { leaseMs: 300, waitMs: 5_000, maxHoldMs: 5_000 },
      );
    const first = run('first', 1_200);
    await heldBySomeone(key);
    await Promise.all([first, run('second', 10)]);
    // Without renewal the second broke the lock after 300 ms and ran inside the first.
    expect(spans.second[0]).toBeGreaterThanOrEqual(spans.first[1]);
  });

  it('a holder past its lease is refused its write, and the writer that broke the lock keeps its own', async () => {
    const locks = db.models.DocumentLock;
    const id = randomUUID();
    const key = `probe:${id}`;
    await probe().insertOne({ _id: id, value: 'initial' });
    // No renewals (maxHoldMs 0): the first holder stalls past its lease, as a process stopped
    // by the debugger or a starved event loop would.
    const slow = withDocumentLock(
      locks,
      key,
      async (hold) => {
        await sleep(700);
        hold.assertHeld();
        await probe().updateOne({ _id: id }, { $set: { value: 'stale' } });
      },
      { leaseMs: 200, maxHoldMs: 0 },
    );
    await heldBySomeone(key);
    const fast = withDocumentLock(
      locks,
      key,
      async (hold) => {
        hold.assertHeld();
        await probe().updateOne({ _id: id }, { $set: { value: 'fresh' } });
      },
      { leaseMs: 5_000, waitMs: 5_000 },
    );
    await expect(slow).rejects.toBeInstanceOf(LockLostError);
    await fast;
    expect((await probe().findOne({ _id: id }))?.value).toBe('fresh');
  });

  it('a holder whose renewal finds the lock taken over is refused its write', async () => {
    const locks = db.models.DocumentLock;
    const key = `probe:${randomUUID()}`;
    const result = withDocumentLock(
      locks,
      key,
      async (hold) => {
        // Someone else's lock now (as if broken and taken while this holder was unreachable).
        await locks.updateOne({ _id: key }, { $set: { owner: 'someone-else' } });
        await sleep(700); // two renewals (every 300 ms), well inside the lease
        hold.assertHeld();
      },
      { leaseMs: 900 },
    );
    await expect(result).rejects.toBeInstanceOf(LockLostError);
    // Releasing by {_id, owner} left the other holder's lock alone.
    expect(await locks.findById(key).lean()).toMatchObject({ owner: 'someone-else' });
  });

  it('a hung holder stops renewing after maxHoldMs, so the document is free again', async () => {
    const locks = db.models.DocumentLock;
    const key = `probe:${randomUUID()}`;
    let release!: () => void;
    const hung = withDocumentLock(locks, key, () => new Promise<void>((r) => (release = r)), {
      leaseMs: 200,
      maxHoldMs: 400,
    });
    await heldBySomeone(key);
    const started = Date.now();
    await withDocumentLock(locks, key, async () => undefined, { leaseMs: 200, waitMs: 5_000 });
    // It got in after the last renewal's lease ran out: about maxHoldMs + leaseMs, not never.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3_000);
    release();
    await hung;
  });
});
