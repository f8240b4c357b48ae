import type { Client } from '@temporalio/client';

import type { ProcessConfig } from '../../../adapters/config';
import { createFieldCipher, type FieldCipher } from '../../../adapters/crypto/field-cipher';
import type { Logger } from '../../../adapters/logger';
import type { Models } from '../../../adapters/models';
import { taskQueues } from '../../../domain/task-queues';
import { deliverWebhookSignal, type WebhookSignalDelivery } from '../../../use-cases/webhooks/deliver-webhook-signal';

export type { WebhookSignalDelivery };

export interface WebhookSignalsDeps {
  models: Models;
  temporal: Client;
  logger: Logger;
  cipher: FieldCipher;
  /** The task queue of the account workflow (provider news after the onboarding ended). */
  accountTaskQueue: string;
  concurrency: number;
  queueLimit: number;
  now?: () => Date;
}

/**
 * Delivers acknowledged webhooks to their workflows, off the ack path (docs/webhooks.md): the
 * process side (queue, concurrency, sweeps) of use-cases/webhooks/deliver-webhook-signal.ts.
 *
 * Durability comes from the database, not from this object: the route inserts a
 * webhookPendingSignals entry with the inbox entry before it answers 200, and only a delivered
 * signal (or a definite "no such workflow") deletes it. This in-memory queue is the fast path; what
 * it drops (queue full, Temporal down, process killed) the sweeper finds in that collection.
 * Sending twice is harmless: the onboarding and account workflows drop repeats by event key.
 */
export function createWebhookSignals(deps: WebhookSignalsDeps) {
  const { models, temporal, logger, cipher } = deps;
  const now = () => (deps.now ? deps.now() : new Date());
  const queue: Array<{ id: string; delivery: WebhookSignalDelivery }> = [];
  /** Queued or being sent by this process: a redelivery meanwhile does not send it again. */
  const inFlight = new Set<string>();
  /** Recently delivered by this process (bounded): a redelivery right after sends nothing new. */
  const recent = new Set<string>();
  const RECENT_LIMIT = 10_000;
  let active = 0;
  let stopped = false;
  const idleWaiters: Array<() => void> = [];

  const seal = (id: string, delivery: WebhookSignalDelivery) =>
    cipher.encrypt(JSON.stringify(delivery), `pending-signal:${id}`);
  const unseal = (id: string, sealed: string) =>
    JSON.parse(cipher.decrypt(sealed, `pending-signal:${id}`)) as WebhookSignalDelivery;

  // One signal to the user's owner, then the inbox mark, then the pending entry removed
  // (use-cases/webhooks/deliver-webhook-signal.ts).
  const deliver = (id: string, d: WebhookSignalDelivery) =>
    deliverWebhookSignal({ models, temporal, accountTaskQueue: deps.accountTaskQueue, now }, id, d);

  function pump() {
    while (!stopped && active < deps.concurrency && queue.length > 0) {
      const { id, delivery } = queue.shift()!;
      active++;
      deliver(id, delivery)
        .then(() => {
          recent.add(id);
          if (recent.size > RECENT_LIMIT) recent.delete(recent.values().next().value!);
        })
        .catch((err: unknown) => logger.warn({ err, eventId: id }, 'webhook signal failed; the sweeper will retry it'))
        .finally(() => {
          active--;
          inFlight.delete(id);
          pump();
        });
    }
    if (active === 0 && (queue.length === 0 || stopped)) idleWaiters.splice(0).forEach((w) => w());
  }

  /**
   * Sends the signal soon, unless this process already has it queued, in flight or just sent it.
   * Never throws: a full queue or a stopped dispatcher leaves the event to the sweeper.
   */
  function enqueue(id: string, delivery: WebhookSignalDelivery) {
    if (stopped || inFlight.has(id) || recent.has(id)) return;
    if (queue.length >= deps.queueLimit) return;
    inFlight.add(id);
    queue.push({ id, delivery });
    // After the current I/O turn: the route's 200 is written before the signal's encoding starts.
    setImmediate(pump);
  }

  function idle(): Promise<void> {
    if (active === 0 && (queue.length === 0 || stopped)) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return {
    /** The pending entry's sealed payload (the route inserts it beside the inbox entry). */
    seal,
    enqueue,
    /**
     * Re-drives pending signals older than `olderThanMs` (the sweeper's one pass). The filter is
     * on a small collection (only undelivered events), so FerretDB's scan stays cheap.
     */
    async sweep(olderThanMs: number, batch: number): Promise<number> {
      const cutoff = new Date(now().getTime() - olderThanMs);
      const stale = await models.WebhookPendingSignal.find({ createdAt: { $lt: cutoff } })
        .limit(batch)
        .lean();
      let taken = 0;
      for (const p of stale) {
        if (inFlight.has(p._id)) continue;
        let delivery: WebhookSignalDelivery;
        try {
          delivery = unseal(p._id, p.deliverySealed);
        } catch (err) {
          logger.error(
            { err, eventId: p._id },
            'pending webhook signal cannot be opened (key removed?); left for operators',
          );
          continue;
        }
        recent.delete(p._id);
        enqueue(p._id, delivery);
        taken++;
      }
      return taken;
    },
    /** Resolves once nothing is queued or in flight (tests, shutdown). */
    idle,
    /** Stops taking work; what is queued stays in webhookPendingSignals for the sweeper. */
    async stop(): Promise<void> {
      stopped = true;
      queue.length = 0;
      await idle();
    },
  };
}

export type WebhookSignals = ReturnType<typeof createWebhookSignals>;

/** The API's dispatcher, from its deps and config (main.ts builds one and starts the sweeper with it). */
export function apiWebhookSignals(deps: {
  config: ProcessConfig<'api'>;
  models: Models;
  temporal: Client;
  logger: Logger;
  now?: () => Date;
}): WebhookSignals {
  return createWebhookSignals({
    models: deps.models,
    temporal: deps.temporal,
    logger: deps.logger,
    cipher: createFieldCipher(deps.config.PII_ENCRYPTION_KEYS),
    accountTaskQueue: taskQueues(deps.config.TASK_QUEUE_PREFIX).onboarding,
    concurrency: deps.config.WEBHOOK_SIGNAL_CONCURRENCY,
    queueLimit: deps.config.WEBHOOK_SIGNAL_QUEUE_LIMIT,
    now: deps.now,
  });
}
