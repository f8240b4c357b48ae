import { randomUUID } from 'node:crypto';

import type { mongo } from 'mongoose';

import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * Issue 22: MongoDB applies every single-document write atomically. FerretDB 1.24 applies an
 * update as query → apply operators in Go → rewrite the whole document, with nothing holding the
 * steps together, so two concurrent writers of one document lost one of them whatever fields they
 * touched (unpatched: 177 of 200 concurrent `$set`s of different fields lost). Our FerretDB build
 * serialises update, findAndModify and delete per collection (infra/install-tools.js); these are
 * the properties the application relies on, checked on whatever database the tests run against.
 */
describe('single-document writes are atomic on the test database', () => {
  let db: TestDatabase;
  // Documents keyed by a string _id, with whatever fields a case writes.
  let raw: mongo.Collection<{ _id: string; [field: string]: unknown }>;
  beforeAll(async () => {
    db = await createTestDatabase();
    raw = db.conn.db!.collection('atomicityProbe');
  });
  afterAll(async () => {
    await db?.close();
  });

  const ROUNDS = 20;
  const WRITERS = 10;
  const fields = Array.from({ length: WRITERS }, (_, i) => `w${i}`);

  /** ROUNDS rounds of WRITERS concurrent writes of field i = i to one fresh document; the fields missing after. */
  async function lostWrites(
    fresh: () => Promise<string>,
    write: (id: string, field: string, i: number) => Promise<unknown>,
    read: (id: string) => Promise<Record<string, unknown>>,
  ) {
    let lost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const id = await fresh();
      await Promise.all(fields.map((f, i) => write(id, f, i)));
      const doc = await read(id);
      lost += fields.filter((f, i) => doc[f] !== i).length;
    }
    return lost;
  }

  it(`keeps all ${ROUNDS * WRITERS} concurrent $sets of different fields of a user (mongoose model)`, async () => {
    const { User } = db.models;
    const lost = await lostWrites(
      async () =>
        (
          await User.create({
            email: `${randomUUID()}@atomic.test`,
            firstName: 'Ada',
            lastName: 'Obi',
            status: 'active',
          })
        )._id,
      (id, f, i) => User.updateOne({ _id: id }, { $set: { [`kyc.${f}`]: i } }),
      async (id) => ((await User.findById(id).lean())!.kyc ?? {}) as Record<string, unknown>,
    );
    expect({ lost, of: ROUNDS * WRITERS }).toEqual({ lost: 0, of: ROUNDS * WRITERS });
  });

  it(`keeps all ${ROUNDS * WRITERS} concurrent updateOne $sets of different fields (raw collection)`, async () => {
    const lost = await lostWrites(
      async () => (await raw.insertOne({ _id: randomUUID(), kind: 'set' })).insertedId,
      (id, f, i) => raw.updateOne({ _id: id }, { $set: { [f]: i } }),
      async (id) => (await raw.findOne({ _id: id }))!,
    );
    expect({ lost, of: ROUNDS * WRITERS }).toEqual({ lost: 0, of: ROUNDS * WRITERS });
  });

  it(`keeps all ${ROUNDS * WRITERS} concurrent findOneAndUpdate $sets, each answering with its own write in place`, async () => {
    let unseen = 0;
    const lost = await lostWrites(
      async () => (await raw.insertOne({ _id: randomUUID(), kind: 'fam' })).insertedId,
      async (id, f, i) => {
        const after = await raw.findOneAndUpdate({ _id: id }, { $set: { [f]: i } }, { returnDocument: 'after' });
        if (after?.[f] !== i) unseen++;
      },
      async (id) => (await raw.findOne({ _id: id }))!,
    );
    expect({ lost, unseen, of: ROUNDS * WRITERS }).toEqual({ lost: 0, unseen: 0, of: ROUNDS * WRITERS });
  });

  it(`keeps all ${ROUNDS * WRITERS} concurrent upserts of one new document`, async () => {
    const errors: string[] = [];
    const lost = await lostWrites(
      async () => randomUUID(),
      (id, f, i) =>
        raw
          .updateOne({ _id: id }, { $set: { [f]: i } }, { upsert: true })
          .catch((err: Error) => errors.push(err.message)),
      async (id) => (await raw.findOne({ _id: id })) ?? {},
    );
    expect({ lost, errors }).toEqual({ lost: 0, errors: [] });
  });

  it('counts 200 concurrent $inc of 1 as exactly 200, with updateOne and with findOneAndUpdate', async () => {
    const N = 200;
    const id = randomUUID();
    const counters = db.conn.db!.collection<{ _id: string; n: number; m: number }>('atomicityProbe');
    await counters.insertOne({ _id: id, n: 0, m: 0 });
    await Promise.all(Array.from({ length: N }, () => counters.updateOne({ _id: id }, { $inc: { n: 1 } })));
    // Each findOneAndUpdate sees the counter its own increment produced: 1..N, each once.
    const seen = await Promise.all(
      Array.from(
        { length: N },
        async () => (await counters.findOneAndUpdate({ _id: id }, { $inc: { m: 1 } }, { returnDocument: 'after' }))!.m,
      ),
    );
    const doc = (await counters.findOne({ _id: id }))!;
    expect({ n: doc.n, m: doc.m, distinctAnswers: new Set(seen).size }).toEqual({ n: N, m: N, distinctAnswers: N });
  });

  it('never deletes a document by a filter it stopped matching (delete by {_id, owner} against an owner change)', async () => {
    // The document-lock pattern (adapters/models/document-lock.ts): release = deleteOne({_id, owner}).
    // Unpatched, the delete read the matching _ids, then deleted those _ids: a document whose owner
    // changed in between was deleted anyway.
    let wrongDeletes = 0;
    for (let round = 0; round < 100; round++) {
      const id = randomUUID();
      await raw.insertOne({ _id: id, owner: 'a' });
      const [moved, deleted] = await Promise.all([
        raw.updateOne({ _id: id, owner: 'a' }, { $set: { owner: 'b' } }),
        raw.deleteOne({ _id: id, owner: 'a' }),
      ]);
      const left = await raw.findOne({ _id: id });
      // Either the owner changed first (the delete matches nothing) or the delete came first.
      const serial =
        (moved.modifiedCount === 1 && deleted.deletedCount === 0 && left?.owner === 'b') ||
        (moved.modifiedCount === 0 && deleted.deletedCount === 1 && left === null);
      if (!serial) wrongDeletes++;
    }
    expect(wrongDeletes).toBe(0);
  });

  it('never deletes a lock that changed hands: release by {_id, owner} against break-and-retake', async () => {
    // document-lock.ts: a holder past its lease releases with deleteOne({_id, owner}) while a
    // waiter breaks the same lock (the same delete) and takes it (insert, owner b). Unpatched, the
    // release could read the old lock, then delete by _id the waiter's new one.
    let deletedNewHolder = 0;
    for (let round = 0; round < 100; round++) {
      const id = randomUUID();
      await raw.insertOne({ _id: id, owner: 'a' });
      const [, retaken] = await Promise.all([
        raw.deleteOne({ _id: id, owner: 'a' }),
        (async () => {
          await raw.deleteOne({ _id: id, owner: 'a' });
          return raw.insertOne({ _id: id, owner: 'b' }).then(
            () => true,
            () => false, // a lock already there: not taken
          );
        })(),
      ]);
      const left = await raw.findOne({ _id: id });
      if (retaken && left?.owner !== 'b') deletedNewHolder++;
    }
    expect(deletedNewHolder).toBe(0);
  });
  it('answers a filter of _id plus other fields exactly, by an _id seek on FerretDB (compare-and-set costs no scan)', async () => {
    // infra/install-tools.js: FerretDB 1.24 pushed a filter down only when it was exactly {_id};
    // {_id, rev} decoded every document. Our build narrows by the _id of any filter that names it
    // once and filters the rest in Go, so the answers must be the same as MongoDB's.
    const id = randomUUID();
    await raw.insertOne({ _id: id, rev: 1, owner: 'a' });
    expect(await raw.findOne({ _id: id, rev: 2 })).toBeNull();
    expect((await raw.findOne({ _id: id, rev: 1, owner: 'a' }))?._id).toBe(id);
    expect(await raw.countDocuments({ _id: id, rev: { $gte: 1 } })).toBe(1);
    expect(await raw.countDocuments({ _id: id, $or: [{ rev: 5 }, { owner: 'b' }] })).toBe(0);
    expect((await raw.updateOne({ _id: id, rev: 2 }, { $set: { rev: 3 } })).matchedCount).toBe(0);
    const cas = await Promise.all(
      Array.from({ length: 50 }, () => raw.findOneAndUpdate({ _id: id, rev: 1 }, { $set: { rev: 2 } })),
    );
    expect(cas.filter((r) => r !== null)).toHaveLength(1);
    expect((await raw.deleteOne({ _id: id, owner: 'b' })).deletedCount).toBe(0);
    expect((await raw.deleteOne({ _id: id, owner: 'a' })).deletedCount).toBe(1);

    const explained = (await db.conn.db!.command({
      explain: { find: 'atomicityProbe', filter: { _id: id, rev: 2 } },
    })) as { filterPushdown?: boolean };
    // Only FerretDB reports `filterPushdown`; MongoDB always seeks `_id` (its plan is IDHACK).
    if ('filterPushdown' in explained) expect(explained.filterPushdown).toBe(true);
  });
});
