import { z } from 'zod';

import { envPositiveInt } from './schema';

/**
 * Delivering acknowledged provider webhooks to their workflows (the API, docs/webhooks.md). The
 * API answers once the event is in the inbox; an in-process dispatcher signals the workflow right
 * after, and a sweeper re-drives what a crash or an unreachable Temporal left unsignalled.
 */
export const webhookSignalsSchema = z.object({
  /** Signals in flight at once per API process (each is one Temporal round trip). */
  WEBHOOK_SIGNAL_CONCURRENCY: envPositiveInt.default(16),
  /** Events waiting for the dispatcher in memory; past it they wait for the sweeper instead. */
  WEBHOOK_SIGNAL_QUEUE_LIMIT: envPositiveInt.default(10_000),
  /** How often the sweeper lists the pending-signal collection. */
  WEBHOOK_SWEEP_INTERVAL_SECONDS: envPositiveInt.default(10),
  /** A pending signal younger than this is the dispatcher's (or another instance's) to send. */
  WEBHOOK_SWEEP_AFTER_SECONDS: envPositiveInt.default(30),
  /** Pending signals re-driven per sweep (the rest wait for the next one). */
  WEBHOOK_SWEEP_BATCH: envPositiveInt.default(500),
  /**
   * Busy: more webhooks than this per second reach this API process. While busy the dispatcher
   * holds the signals (each costs ~10× the ack's CPU downstream) and sends them once the burst is
   * over, so the 200s do not wait behind them (docs/webhooks.md, "Bursts").
   */
  WEBHOOK_DEFER_ABOVE_PER_SECOND: envPositiveInt.default(20),
  /** A held signal is sent anyway once it has waited this long (an intake that never falls). */
  WEBHOOK_DEFER_MAX_SECONDS: envPositiveInt.default(90),
});
