import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

import { NON_RETRYABLE_FAILURE_TYPES } from '../domain/failures/catalog';

// Named option profiles so every activity call states its intent. Activities throw the failures of
// domain/failures/activity-failures.ts; the catalog says which of them are never retried.
const NON_RETRYABLE_DOMAIN_ERRORS = NON_RETRYABLE_FAILURE_TYPES;

/** A provider send, whether one channel or a whole message: 30 tries, backing off to a minute. */
const PROVIDER_SEND_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 30,
  nonRetryableErrorTypes: NON_RETRYABLE_DOMAIN_ERRORS,
} as const;

export const activityProfiles = {
  /** Database work inside our own service: quick, retried briefly. */
  fast: {
    startToCloseTimeout: '10 seconds',
    retry: {
      initialInterval: '200 milliseconds',
      maximumInterval: '5 seconds',
      nonRetryableErrorTypes: NON_RETRYABLE_DOMAIN_ERRORS,
    },
  },
  /** Calls to third parties: longer timeouts, patient backoff for outages. */
  provider: {
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '2 seconds',
      backoffCoefficient: 2,
      maximumInterval: '5 minutes',
      maximumAttempts: 20,
      nonRetryableErrorTypes: NON_RETRYABLE_DOMAIN_ERRORS,
    },
  },
  /**
   * Starting a notification: a client start of its own `notify-<id>` workflow (not a child: it outlives
   * the run that asked, adapters/notifications/start-notification.ts). Fast, but must not be dropped.
   */
  notification: {
    startToCloseTimeout: '15 seconds',
    retry: {
      initialInterval: '1 second',
      maximumInterval: '1 minute',
      nonRetryableErrorTypes: NON_RETRYABLE_DOMAIN_ERRORS,
    },
  },
  /**
   * One provider send (notifications worker). Heartbeats every 2 s while it runs, so a dead worker is noticed
   * in seconds; AWAITING_CONFIRMATION (an ambiguous earlier send) is retried until a callback lands.
   */
  channel: {
    startToCloseTimeout: '30 seconds',
    heartbeatTimeout: '5 seconds',
    retry: PROVIDER_SEND_RETRY,
  },
  /**
   * A whole single message in one activity (`deliverNotification`, notifications worker): the delivery
   * core retries each channel in process (provider 5xx, timeouts, AWAITING_CONFIRMATION for up to the
   * reconcile window + 2 min per channel; fallbacks one after another), so the bound leaves room for
   * that. Heartbeats every 2 s: a dead worker is noticed in 10 s and the retry re-runs the core, whose
   * ledger claim per message and channel makes a channel already sent a no-op.
   */
  message: {
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '10 seconds',
    retry: PROVIDER_SEND_RETRY,
  },
} satisfies Record<string, ActivityOptions>;

/**
 * Short steps run as local activities: in the worker that runs the workflow task, recorded as a
 * marker in that task's completion, so no activity task (and no extra workflow task) goes through
 * the server. Same timeouts and retries as their `activityProfiles` counterpart; a local activity
 * must be idempotent like any other (it re-runs if its workflow task is lost).
 */
export const localActivityProfiles = {
  fast: activityProfiles.fast,
  notification: activityProfiles.notification,
} satisfies Record<string, LocalActivityOptions>;
