import type { Request, RequestHandler, Response } from 'express';

import type { Models } from '../../../adapters/models';
import { highestSlot, insertNextSlot } from '../../../adapters/models/slots';
import { tooManyRequests } from '../http/app-error';

const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed-window counters in the database (not process memory), so a limit holds across every API
 * instance. A hit claims the next free slot `<window>#<n>` by insert; the unique `_id` decides
 * races, so exactly `limit` hits pass per window however many instances race.
 */
export function createRateLimiter(deps: { models: Pick<Models, 'RateLimitSlot'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const { RateLimitSlot } = deps.models;
  let lastSweep = 0;

  const windowOf = (bucket: string, key: string, windowSeconds: number) => {
    const nowMs = now().getTime();
    const size = windowSeconds * 1000;
    const start = Math.floor(nowMs / size) * size;
    return {
      id: `${bucket}:${key}:${start}`,
      expiresAt: new Date(start + size),
      retryAfterSeconds: (start + size - nowMs) / 1000,
    };
  };

  /**
   * The last slot this process took per live window: where the next hit starts looking. Another
   * instance's hits only cost this one a few duplicate-key answers; the unique `_id` still decides.
   */
  const lastTaken = new Map<string, { n: number; expiresAtMs: number }>();

  // No TTL indexes on FerretDB 1.x: expired slots are swept here, at most once a minute per process.
  const sweep = () => {
    const t = now().getTime();
    if (t - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = t;
    RateLimitSlot.deleteMany({ expiresAt: { $lt: new Date(t) } }).catch(() => undefined);
    for (const [id, seen] of lastTaken) if (seen.expiresAtMs <= t) lastTaken.delete(id);
  };

  const count = (window: string) => RateLimitSlot.countDocuments({ window });

  return {
    /** Counts one hit; `limited` once the window's count exceeds `limit` (hits past limit+1 are not stored). */
    async hit(bucket: string, key: string, limit: number, windowSeconds: number) {
      const w = windowOf(bucket, key, windowSeconds);
      sweep();
      // Where to start: this process's last slot in the window, else the window's end found by
      // `_id` reads (a count would scan every slot of every window on FerretDB, per request).
      const from = (lastTaken.get(w.id)?.n ?? (await highestSlot(RateLimitSlot, w.id, limit + 1))) + 1;
      // n = limit+2 when all limit+1 slots are taken: limited, and nothing more is stored.
      const n = await insertNextSlot(RateLimitSlot, w.id, {
        from,
        max: limit + 1,
        fields: { window: w.id, expiresAt: w.expiresAt },
      });
      lastTaken.set(w.id, { n: Math.min(n, limit + 1), expiresAtMs: w.expiresAt.getTime() });
      return { count: n, limited: n > limit, retryAfterSeconds: w.retryAfterSeconds };
    },
    /**
     * Claims one of the window's `limit` slots (lowest free first, so released slots are reused),
     * or `null` when all are taken. Unlike `hit`, a claim can be handed back with `release`: the
     * caller reserves before doing the expensive or dangerous thing, so at most `limit` of them
     * run per window however many requests arrive at once.
     */
    async claim(bucket: string, key: string, limit: number, windowSeconds: number) {
      const w = windowOf(bucket, key, windowSeconds);
      sweep();
      const n = await insertNextSlot(RateLimitSlot, w.id, {
        from: 1,
        max: limit,
        fields: { window: w.id, expiresAt: w.expiresAt },
      });
      if (n <= limit) return { slotId: `${w.id}#${n}`, retryAfterSeconds: w.retryAfterSeconds };
      return { slotId: null, retryAfterSeconds: w.retryAfterSeconds };
    },
    async release(slotId: string) {
      await RateLimitSlot.deleteOne({ _id: slotId });
    },
    /** The current window's count without counting. */
    async peek(bucket: string, key: string, windowSeconds: number) {
      const w = windowOf(bucket, key, windowSeconds);
      return { count: await count(w.id), retryAfterSeconds: w.retryAfterSeconds };
    },
    async reset(bucket: string, key: string, windowSeconds: number) {
      const { id } = windowOf(bucket, key, windowSeconds);
      lastTaken.delete(id);
      await RateLimitSlot.deleteMany({ window: id });
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Route guard: 429 RATE_LIMITED with Retry-After once `key(req)` exceeds `limit` in the window. */
export function rateLimit(
  limiter: RateLimiter,
  opts: { bucket: string; limit: number; windowSeconds: number; key: (req: Request, res: Response) => string },
): RequestHandler {
  return async (req, res, next) => {
    try {
      const r = await limiter.hit(opts.bucket, opts.key(req, res), opts.limit, opts.windowSeconds);
      next(r.limited ? tooManyRequests(r.retryAfterSeconds) : undefined);
    } catch (err) {
      next(err);
    }
  };
}

export const clientIp = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
