import type { Logger } from '../../adapters/logger';

export interface WebhookDelivery {
  url: string;
  headers: Record<string, string>;
  /** Sent byte-for-byte as signed. */
  body: string;
}

/**
 * Delivers like a real provider: POST, and on a non-2xx or network error retry with backoff
 * (1s, 2s, 4s … capped) up to `maxAttempts`. Runs in the background; returns the final status.
 */
export async function deliverWebhook(
  delivery: WebhookDelivery,
  opts: { logger: Logger; maxAttempts?: number; baseDelayMs?: number },
): Promise<{ delivered: boolean; attempts: number; lastStatus?: number }> {
  const maxAttempts = opts.maxAttempts ?? 8;
  let lastStatus: number | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...delivery.headers },
        body: delivery.body,
        signal: AbortSignal.timeout(10_000),
      });
      lastStatus = res.status;
      await res.arrayBuffer();
      if (res.ok) return { delivered: true, attempts: attempt, lastStatus };
    } catch {
      lastStatus = undefined;
    }
    opts.logger.warn({ url: delivery.url, attempt, status: lastStatus }, 'webhook delivery failed, will retry');
    // unref: a pending retry must not keep a stopping sandbox (or a finished test run) alive.
    if (attempt < maxAttempts)
      await new Promise((r) =>
        setTimeout(r, Math.min((opts.baseDelayMs ?? 1000) * 2 ** (attempt - 1), 60_000)).unref(),
      );
  }
  return { delivered: false, attempts: maxAttempts, lastStatus };
}
