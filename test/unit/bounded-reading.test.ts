import { createLogger } from '../../adapters/logger';
import { boundedReading } from '../../services/api/http/bounded-reading';

// A business gauge must never hold a scrape up: a slow source answers its last value (stale), a
// failing one too, and a slow database is never sent a second query while one is running.
describe('boundedReading', () => {
  const logger = createLogger({ level: 'silent', name: 't' });
  /** A source whose answers the test releases one by one. */
  function controlledSource() {
    const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
    return {
      pending,
      load: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
    };
  }

  it('answers within the budget with the last value while a slow query finishes, and runs one query at a time', async () => {
    const src = controlledSource();
    const r = boundedReading({ name: 't', load: src.load, budgetMs: 50, minAgeMs: 0, logger });
    const first = r.read();
    src.pending[0].resolve(1);
    expect(await first).toEqual({ value: 1, stale: false });

    const started = Date.now();
    expect(await r.read()).toEqual({ value: 1, stale: true }); // the second query hangs: last value, stale
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await r.read()).toEqual({ value: 1, stale: true });
    expect(src.pending).toHaveLength(2); // the hanging query was joined, not repeated

    src.pending[1].resolve(2); // it finishes in the background…
    await new Promise((res) => setImmediate(res));
    const next = r.read(); // …and the next scrape starts a new one
    src.pending[2].resolve(3);
    expect(await next).toEqual({ value: 3, stale: false });
  });

  it('marks a failing source stale, keeps its last value, and recovers', async () => {
    const src = controlledSource();
    const r = boundedReading({ name: 't', load: src.load, budgetMs: 1_000, minAgeMs: 0, logger });
    const a = r.read();
    src.pending[0].reject(new Error('database down'));
    expect(await a).toEqual({ value: undefined, stale: true });
    const b = r.read();
    src.pending[1].resolve(7);
    expect(await b).toEqual({ value: 7, stale: false });
    const c = r.read();
    src.pending[2].reject(new Error('database down'));
    expect(await c).toEqual({ value: 7, stale: true });
  });

  it('reuses a value younger than minAgeMs (several gauges fed by one query cost one query)', async () => {
    let clock = 0;
    let calls = 0;
    const r = boundedReading({
      name: 't',
      load: async () => ++calls,
      budgetMs: 1_000,
      minAgeMs: 5_000,
      logger,
      now: () => clock,
    });
    expect(await Promise.all([r.read(), r.read(), r.read()])).toEqual(
      [1, 1, 1].map((value) => ({ value, stale: false })),
    );
    clock = 4_999;
    expect((await r.read()).value).toBe(1);
    clock = 5_000;
    expect((await r.read()).value).toBe(2);
    expect(calls).toBe(2);
  });
});
