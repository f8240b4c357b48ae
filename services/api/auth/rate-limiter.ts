import type { Request, RequestHandler, Response } from 'express';
import type { Models } from '../../common/models';
import { tooManyRequests } from '../http/app-error';

const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed-window counters in the database (not process memory), so a limit holds across every
 * API instance: each hit is one atomic upsert-$inc on `<bucket>:<key>:<windowStart>`.
 */
export function createRateLimiter(deps: { models: Pick<Models, 'RateLimitWindow'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  let lastSweep = 0;

  const windowOf = (bucket: string, key: string, windowSeconds: number) => {
    const nowMs = now().getTime();
    const size = windowSeconds * 1000;
    const start = Math.floor(nowMs / size) * size;
    return { id: `${bucket}:${key}:${start}`, expiresAt: new Date(start + size), retryAfterSeconds: (start + size - nowMs) / 1000 };
  };

  // No TTL indexes on FerretDB 1.x: expired windows are swept here, at most once a minute per process.
  const sweep = () => {
    const t = now().getTime();
    if (t - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = t;
    deps.models.RateLimitWindow.deleteMany({ expiresAt: { $lt: new Date(t) } }).catch(() => undefined);
  };

  async function increment(id: string, expiresAt: Date): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await deps.models.RateLimitWindow.findOneAndUpdate(
          { _id: id },
          { $inc: { count: 1 }, $setOnInsert: { expiresAt } },
          { upsert: true, new: true, lean: true },
        );
        return doc!.count;
      } catch (err) {
        // Two instances inserting the same new window at once: the loser retries as an update.
        if ((err as { code?: number }).code !== 11000 || attempt >= 2) throw err;
      }
    }
  }

  return {
    /** Counts one hit; `limited` once the window's count exceeds `limit`. */
    async hit(bucket: string, key: string, limit: number, windowSeconds: number) {
      const w = windowOf(bucket, key, windowSeconds);
      const count = await increment(w.id, w.expiresAt);
      sweep();
      return { count, limited: count > limit, retryAfterSeconds: w.retryAfterSeconds };
    },
    /** The current window's count without counting. */
    async peek(bucket: string, key: string, windowSeconds: number) {
      const w = windowOf(bucket, key, windowSeconds);
      const doc = await deps.models.RateLimitWindow.findById(w.id, { count: 1 }).lean();
      return { count: doc?.count ?? 0, retryAfterSeconds: w.retryAfterSeconds };
    },
    async reset(bucket: string, key: string, windowSeconds: number) {
      await deps.models.RateLimitWindow.deleteOne({ _id: windowOf(bucket, key, windowSeconds).id });
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Route guard: 429 RATE_LIMITED with Retry-After once `key(req)` exceeds `limit` in the window. */
export function rateLimit(limiter: RateLimiter, opts: { bucket: string; limit: number; windowSeconds: number; key: (req: Request, res: Response) => string }): RequestHandler {
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
