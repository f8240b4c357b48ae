import { z } from 'zod';

import { envPositiveInt } from './schema';

const CHANNEL = z.enum(['email', 'sms', 'push']);

/**
 * Notification providers. Every base URL is optional: unset means the sandbox (SANDBOX_URL), so
 * switching a provider to the real one is configuration only (set its base URL and credentials).
 */
export const notificationsSchema = z.object({
  /** Tried in this order, one at a time, when every selected channel failed permanently. */
  NOTIFY_FALLBACK_ORDER: z
    .string()
    .default('push,sms,email')
    .transform((s) =>
      s
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .pipe(z.array(CHANNEL).min(1)),
  /**
   * A send that crashed after the provider call is resent only if no provider callback has
   * confirmed it within this window (callbacks carry our delivery key).
   */
  NOTIFY_RECONCILE_WINDOW_MS: envPositiveInt.default(60_000),
  /**
   * Messages one batch page sends at once (each runs its channels in parallel). The provider rate
   * limits below still meter the requests; this bounds the memory and database work in flight.
   */
  NOTIFY_BATCH_CONCURRENCY: envPositiveInt.default(32),
  /**
   * Messages of all batch pages one notifications worker sends at once. Pages of several batches run
   * together (each bulk request is a batch), so without this bound the messages in flight were
   * pages × NOTIFY_BATCH_CONCURRENCY and the worker's heap (WORKER_V8_FLAGS, 160 MiB old space)
   * overflowed under load (docs/performance.md, notifications pass 2).
   */
  NOTIFY_WORKER_MAX_IN_FLIGHT: envPositiveInt.default(128),
  /** Recipients per stored batch page (one page = one activity, one heartbeat stream). */
  NOTIFY_BATCH_PAGE_SIZE: envPositiveInt.default(100),
});
