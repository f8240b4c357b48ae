import type { Client } from '@temporalio/client';

import type { ProcessConfig } from '../../../adapters/config';
import { createFieldCipher, type FieldCipher } from '../../../adapters/crypto/field-cipher';
import type { Logger } from '../../../adapters/logger';
import type { Models } from '../../../adapters/models';
import { taskQueues } from '../../../domain/task-queues';
import { deliverWebhookSignal, type WebhookSignalDelivery } from '../../../use-cases/webhooks/deliver-webhook-signal';
import { createIntakeMeter } from './intake-meter';

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
  /**
   * Busy: more webhook requests than this arrived in the last second. While busy the dispatcher starts no
   * signal (the ack path keeps the CPU); what it holds goes out once the intake falls below.
   * Default: never busy (tests); the API passes WEBHOOK_DEFER_ABOVE_PER_SECOND.
   */
  deferAbovePerSecond?: number;
  /** The oldest held event is sent anyway once it has waited this long (sustained overload). */
  maxDeferMs?: number;
  now?: () => Date;
  /** Real time for the intake rate and the deferral (tests may move `now` alone). */
  clockMs?: () => number;
}

interface Queued {
  id: string;
  delivery: WebhookSignalDelivery;
  /** When it was queued (clockMs): how long it has been deferred. */
  at: number;
}

/**
 * Delivers acknowledged webhooks to their workflows, off the ack path (docs/webhooks.md): the
 * process side (queue, concurrency, deferral, sweeps) of use-cases/webhooks/deliver-webhook-signal.ts.
 *
 * Durability comes from the database, not from this object: the route inserts a
 * webhookPendingSignals entry with the inbox entry before it answers 200, and only a delivered
 * signal (or a definite "no such workflow") deletes it. This in-memory queue is the fast path; what
 * it drops (queue full, Temporal down, process killed) the sweeper finds in that collection.
 * Sending twice is harmless: the onboarding and account workflows drop repeats by event key.
 *
 * The ack comes first: a signal costs ~10× the ack's CPU downstream (Temporal, the worker, database
 * writes; docs/performance.md), so while webhooks arrive faster than `deferAbovePerSecond` the
 * dispatcher holds them and sends the backlog once the burst is over.
 *
 * Provider order per run: events for one workflow go out one at a time, in the order received;
 * when one of them cannot go now (failed, queue full), that run's later events are left to the
 * sweeper too, which sends a run's pending entries oldest first.
 */
export function createWebhookSignals(deps: WebhookSignalsDeps) {
  const { models, temporal, logger, cipher } = deps;
  const now = () => (deps.now ? deps.now() : new Date());
  const clockMs = deps.clockMs ?? Date.now;
  const deferAbove = deps.deferAbovePerSecond ?? Number.POSITIVE_INFINITY;
  const maxDeferMs = deps.maxDeferMs ?? 90_000;
  const intake = createIntakeMeter(1_000);
  const queue: Queued[] = [];
  /** Queued or being sent by this process: a redelivery meanwhile does not send it again. */
  const inFlight = new Set<string>();
  /** Workflows with a signal being sent: their next event waits (provider order). */
  const sending = new Set<string>();
  /** Workflows whose earlier event is left to the sweeper: later ones wait for it there. */
  const held = new Set<string>();
  /** Recently delivered by this process (bounded): a redelivery right after sends nothing new. */
  const recent = new Map<string, number>(); // event id → when its delivery finished (clockMs)
  const RECENT_LIMIT = 10_000;
  /** While the first sweep after a start queues what a previous process left, fresh events wait here, behind it. */
  let recovering: Array<{ id: string; delivery: WebhookSignalDelivery }> | null = null;
  let active = 0;
  let stopped = false;
  let recheck: NodeJS.Timeout | null = null;
  const idleWaiters: Array<() => void> = [];

  const seal = (id: string, delivery: WebhookSignalDelivery) =>
    cipher.encrypt(JSON.stringify(delivery), `pending-signal:${id}`);
  const unseal = (id: string, sealed: string) =>
    JSON.parse(cipher.decrypt(sealed, `pending-signal:${id}`)) as WebhookSignalDelivery;

  // One signal to the user's owner, then the inbox mark, then the pending entry removed
  // (use-cases/webhooks/deliver-webhook-signal.ts).
  const deliver = (id: string, d: WebhookSignalDelivery) =>
    deliverWebhookSignal({ models, temporal, accountTaskQueue: deps.accountTaskQueue, now }, id, d);

  /** Leaves a run's queued events to the sweeper (after one of them could not go now). */
  function hold(workflowId: string) {
    held.add(workflowId);
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i].delivery.workflowId !== workflowId) continue;
      inFlight.delete(queue[i].id);
      queue.splice(i, 1);
    }
  }

  /** Deferring: the intake is above the threshold and nothing held has waited too long. */
  function deferring(t: number) {
    if (intake.perWindow(t) <= deferAbove) return false;
    return !(queue.length > 0 && t - queue[0].at >= maxDeferMs);
  }

  function start(item: Queued) {
    const wf = item.delivery.workflowId;
    active++;
    sending.add(wf);
    deliver(item.id, item.delivery)
      .then(() => {
        recent.set(item.id, clockMs());
        if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value!);
      })
      .catch((err: unknown) => {
        hold(wf);
        logger.warn({ err, eventId: item.id }, 'webhook signal failed; the sweeper will retry it');
      })
      .finally(() => {
        active--;
        sending.delete(wf);
        inFlight.delete(item.id);
        pump();
      });
  }

  function pump() {
    const t = clockMs();
    if (!stopped && deferring(t)) {
      // Look again shortly: the burst may be over without another webhook to wake us.
      if (queue.length > 0 && !recheck) {
        recheck = setTimeout(() => {
          recheck = null;
          pump();
        }, 200);
        recheck.unref();
      }
    } else {
      for (let i = 0; !stopped && active < deps.concurrency && i < queue.length;) {
        if (sending.has(queue[i].delivery.workflowId)) {
          i++; // that run's earlier event is on its way; this one goes after it
          continue;
        }
        start(queue.splice(i, 1)[0]);
      }
    }
    if (active === 0 && (queue.length === 0 || stopped)) idleWaiters.splice(0).forEach((w) => w());
  }

  function enqueueItem(id: string, delivery: WebhookSignalDelivery): boolean {
    if (stopped || inFlight.has(id) || recent.has(id)) return false;
    if (held.has(delivery.workflowId)) return false;
    if (queue.length >= deps.queueLimit) {
      hold(delivery.workflowId);
      return false;
    }
    inFlight.add(id);
    queue.push({ id, delivery, at: clockMs() });
    return true;
  }

  /**
   * A webhook was acknowledged (the route's 200 follows): sends its signal soon, unless this process
   * already has it queued, in flight or just sent it. Never throws: a full queue, a run whose earlier
   * event waits for the sweeper or a stopped dispatcher leaves the event to the sweeper.
   */
  function enqueue(id: string, delivery: WebhookSignalDelivery) {
    if (recovering) {
      recovering.push({ id, delivery }); // what the previous process left goes first
      return;
    }
    if (!enqueueItem(id, delivery)) return;
    // After the current I/O turn: the route's 200 is written before the signal's encoding starts.
    setImmediate(pump);
  }

  function idle(): Promise<void> {
    if (active === 0 && (queue.length === 0 || stopped)) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  /**
   * Queues pending signals older than `olderThanMs`, oldest first, paging by `createdAt` until
   * `batch` were taken. The filter is on a small collection (only undelivered events), so FerretDB's
   * scan stays cheap. Skipped while deferring: the burst's own events are held here already, and
   * a sweep is downstream work too.
   */
  async function sweep(olderThanMs: number, batch: number): Promise<number> {
    return deferring(clockMs()) ? 0 : queuePending(olderThanMs, batch);
  }

  async function queuePending(olderThanMs: number, batch: number): Promise<number> {
    const cutoff = new Date(now().getTime() - olderThanMs);
    let from: Date | null = null;
    let taken = 0;
    const seen = new Set<string>();
    const released = new Set<string>();
    for (;;) {
      const listedAt = clockMs();
      const page: Array<{ _id: string; createdAt: Date; deliverySealed: string }> =
        await models.WebhookPendingSignal.find({
          createdAt: from ? { $lt: cutoff, $gte: from } : { $lt: cutoff },
        })
          .sort({ createdAt: 1, _id: 1 })
          .limit(batch)
          .lean();
      let fresh = 0;
      for (const p of page) {
        if (seen.has(p._id)) continue;
        seen.add(p._id);
        fresh++;
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
        // The sweep sends a held run's events in their order: the hold ends here.
        if (held.has(delivery.workflowId) && !released.has(delivery.workflowId)) {
          held.delete(delivery.workflowId);
          released.add(delivery.workflowId);
        }
        // Delivered by this process since the list was read: its entry was deleted meanwhile, not
        // left behind (a repeat that wrote it again after an earlier delivery is re-driven).
        if ((recent.get(p._id) ?? -Infinity) >= listedAt) continue;
        recent.delete(p._id);
        if (enqueueItem(p._id, delivery)) taken++;
        if (taken >= batch) break;
      }
      if (taken >= batch || page.length < batch || fresh === 0) break;
      from = page[page.length - 1].createdAt;
    }
    if (taken > 0) setImmediate(pump);
    return taken;
  }

  return {
    /** The pending entry's sealed payload (the route inserts it beside the inbox entry). */
    seal,
    enqueue,
    /** A webhook request arrived: the intake rate that decides deferral counts arrivals, not 200s. */
    arrived: () => intake.note(clockMs()),
    sweep,
    /**
     * After a start: queues everything a previous process left pending, oldest first, before any
     * fresh event (held meanwhile and queued after), so a restart does not let a run's new events
     * overtake its old ones.
     */
    async recover(batch: number): Promise<number> {
      recovering = [];
      try {
        let total = 0;
        for (;;) {
          const n = await queuePending(0, batch); // even while deferring: queued is not sent
          total += n;
          if (n < batch) return total;
        }
      } finally {
        const fresh = recovering;
        recovering = null;
        for (const e of fresh) enqueueItem(e.id, e.delivery); // a no-op for those the sweep took
        setImmediate(pump);
      }
    },
    /** Webhooks held for the end of a burst, and whether the dispatcher is deferring now. */
    backlog: () => ({ queued: queue.length, sending: active, deferring: deferring(clockMs()) }),
    /** Resolves once nothing is queued or in flight (tests, shutdown). */
    idle,
    /** Stops taking work; what is queued stays in webhookPendingSignals for the sweeper. */
    async stop(): Promise<void> {
      stopped = true;
      if (recheck) clearTimeout(recheck);
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
    deferAbovePerSecond: deps.config.WEBHOOK_DEFER_ABOVE_PER_SECOND,
    maxDeferMs: deps.config.WEBHOOK_DEFER_MAX_SECONDS * 1000,
    now: deps.now,
  });
}
