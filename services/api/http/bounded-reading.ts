import type { Logger } from '../../../adapters/logger';

export interface BoundedReading<T> {
  /** The freshest value a scrape can have within the budget; `stale` when it is an older one (or none). */
  read(): Promise<{ value: T | undefined; stale: boolean }>;
}

/**
 * A scrape-time reading that never holds up a scrape: a scrape waits at most `budgetMs` for the
 * query, then answers the last value (stale) while the query finishes in the background for the
 * next scrape. One query per source at a time (a slow database is not piled onto), and a value is
 * reused for `minAgeMs` so frequent scrapers (or several gauges fed by one query) cost one query.
 */
export function boundedReading<T>(opts: {
  name: string;
  load: () => Promise<T>;
  budgetMs: number;
  minAgeMs: number;
  logger: Logger;
  now?: () => number;
}): BoundedReading<T> {
  const now = opts.now ?? Date.now;
  let last: T | undefined;
  let loadedAt = -Infinity;
  let failed = false;
  let inflight: Promise<void> | null = null;
  let lastWarnAt = -Infinity;

  const refresh = () => {
    inflight ??= opts
      .load()
      .then(
        (v) => {
          last = v;
          loadedAt = now();
          failed = false;
        },
        (err: unknown) => {
          failed = true;
          // A broken source is logged at most once a minute, not once per scrape.
          if (now() - lastWarnAt > 60_000) {
            lastWarnAt = now();
            opts.logger.warn(
              { err, gauge: opts.name },
              'business gauge refresh failed; /metrics answers the last value',
            );
          }
        },
      )
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };

  return {
    async read() {
      if (now() - loadedAt >= opts.minAgeMs || failed) {
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([
          refresh().then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), opts.budgetMs);
            timer.unref();
          }),
        ]);
        clearTimeout(timer);
        if (!inTime) return { value: last, stale: true };
      }
      return { value: last, stale: failed || last === undefined };
    },
  };
}
