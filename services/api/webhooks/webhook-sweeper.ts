import type { Logger } from '../../../adapters/logger';
import type { WebhookSignals } from './webhook-signals';

/**
 * Re-drives acknowledged webhooks whose signal never got through (the API crashed between the 200
 * and the signal, Temporal was down, the dispatcher's queue was full). Every API instance runs one;
 * two instances re-driving the same event send it twice, which the workflow drops by event key.
 */
export function startWebhookSweeper(opts: {
  signals: WebhookSignals;
  logger: Logger;
  intervalMs: number;
  afterMs: number;
  batch: number;
}) {
  let running: Promise<void> | null = null;
  const pass = () => {
    if (running) return; // a slow pass (Temporal down) is not stacked
    running = opts.signals
      .sweep(opts.afterMs, opts.batch)
      .then((n) => {
        if (n > 0) opts.logger.info({ redriven: n }, 'webhook sweeper re-drove pending signals');
      })
      .catch((err: unknown) => opts.logger.warn({ err }, 'webhook sweep failed; next pass retries'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(pass, opts.intervalMs);
  timer.unref();
  return {
    /** One pass now (tests; also what the timer does). */
    async sweepNow() {
      pass();
      await running;
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
