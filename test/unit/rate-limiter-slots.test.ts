import { highestSlot, insertNextSlot } from '../../adapters/models/slots';
import { createRateLimiter } from '../../services/api/auth/rate-limiter';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

// The limiter's hit path reads only by `_id` (a count would scan the whole collection on
// FerretDB): the window's end is found by a galloping search over the slot ids, and each process
// remembers where it left off. These check that neither shortcut changes what is counted.
describe('rate limiter slots without counting', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  const fill = async (prefix: string, n: number) => {
    for (let i = 1; i <= n; i++)
      await db.models.RateLimitSlot.create({
        _id: `${prefix}#${i}`,
        window: prefix,
        expiresAt: new Date(Date.now() + 60_000),
      });
  };

  it('finds the last taken slot of a window, capped at max', async () => {
    expect(await highestSlot(db.models.RateLimitSlot, 'empty', 50)).toBe(0);
    await fill('w37', 37);
    expect(await highestSlot(db.models.RateLimitSlot, 'w37', 100)).toBe(37);
    expect(await highestSlot(db.models.RateLimitSlot, 'w37', 37)).toBe(37);
    expect(await highestSlot(db.models.RateLimitSlot, 'w37', 20)).toBe(20);
    await fill('w1', 1);
    expect(await highestSlot(db.models.RateLimitSlot, 'w1', 10)).toBe(1);
    expect(
      await insertNextSlot(db.models.RateLimitSlot, 'w37', {
        from: (await highestSlot(db.models.RateLimitSlot, 'w37', 100)) + 1,
        fields: { window: 'w37', expiresAt: new Date() },
      }),
    ).toBe(38);
  });

  it('counts from another first number (webhook repeats are #2, #3, …: the first delivery is the inbox entry)', async () => {
    expect(await highestSlot(db.models.RateLimitSlot, 'from2-empty', Number.MAX_SAFE_INTEGER, 2)).toBe(1);
    for (let i = 2; i <= 12; i++)
      await db.models.RateLimitSlot.create({
        _id: `from2#${i}`,
        window: 'from2',
        expiresAt: new Date(Date.now() + 60_000),
      });
    expect(await highestSlot(db.models.RateLimitSlot, 'from2', Number.MAX_SAFE_INTEGER, 2)).toBe(12);
    expect(await highestSlot(db.models.RateLimitSlot, 'from2', 7, 2)).toBe(7);
  });

  it('lets exactly `limit` of 40 concurrent hits through, across two limiter instances (two API processes)', async () => {
    const a = createRateLimiter({ models: db.models });
    const b = createRateLimiter({ models: db.models });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit('test', 'ip-1', 15, 3600)),
    );
    expect(results.filter((r) => !r.limited)).toHaveLength(15);
    expect(new Set(results.filter((r) => !r.limited).map((r) => r.count)).size).toBe(15);
    // A third instance (a restarted process, nothing remembered) still sees the window as full.
    const c = createRateLimiter({ models: db.models });
    expect((await c.hit('test', 'ip-1', 15, 3600)).limited).toBe(true);
    // And a fresh window starts at 1 for everyone.
    expect(await a.hit('test', 'ip-2', 15, 3600)).toMatchObject({ count: 1, limited: false });
    expect(await b.hit('test', 'ip-2', 15, 3600)).toMatchObject({ count: 2, limited: false });
    expect(await a.hit('test', 'ip-2', 15, 3600)).toMatchObject({ count: 3, limited: false });
  });
});
