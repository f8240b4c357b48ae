import type { Client } from '@temporalio/client';
import { Gauge, type Registry } from 'prom-client';

import { readNotificationFailures } from '../../../adapters/business-gauges/notification-failures';
import { readWebhookBacklog, sweeperLagSeconds } from '../../../adapters/business-gauges/webhook-backlog';
import {
  countWorkflowTaskProblems,
  WORKFLOW_TASK_PROBLEMS,
} from '../../../adapters/business-gauges/workflow-task-problems';
import type { Config } from '../../../adapters/config';
import type { Logger } from '../../../adapters/logger';
import type { Models } from '../../../adapters/models';
import { CHANNELS } from '../../../domain/contracts/notify.contract';
import { type BoundedReading, boundedReading } from './bounded-reading';

export interface BusinessMetricsDeps {
  config: Pick<Config, 'WEBHOOK_SWEEP_AFTER_SECONDS' | 'WEBHOOK_SWEEP_INTERVAL_SECONDS'>;
  models: Pick<Models, 'WebhookPendingSignal' | 'NotificationDeliveryEvent'>;
  temporal: Client;
  logger: Logger;
  now?: () => Date;
}

/** How long a scrape waits for one source before it answers that source's last value. */
export const SCRAPE_BUDGET_MS = 1_500;
/** A query left running past the budget is still cut off by the database at this point. */
const QUERY_MAX_TIME_MS = 10_000;
/** The window `kyc_notification_failures_recent` counts over (alerts.yml and docs/alerts.md say 15 min). */
export const NOTIFICATION_FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * The gauges operators alert on (infra/prometheus/alerts.yml, docs/alerts.md), computed when
 * Prometheus scrapes: each from one bounded reading (bounded-reading.ts), so a slow database or
 * Temporal makes a scrape answer the last value with `kyc_business_gauge_stale{source}` = 1
 * instead of holding the scrape (or the API) up.
 */
export function registerBusinessGauges(
  registry: Registry,
  deps: BusinessMetricsDeps,
  opts: { budgetMs?: number } = {},
) {
  const now = () => (deps.now ? deps.now() : new Date());
  const budgetMs = opts.budgetMs ?? SCRAPE_BUDGET_MS;
  const reading = <T>(name: string, minAgeMs: number, load: () => Promise<T>) =>
    boundedReading({ name, load, budgetMs, minAgeMs, logger: deps.logger, now: () => now().getTime() });

  const webhooks = reading('webhook_backlog', 5_000, () => readWebhookBacklog(deps.models, now(), QUERY_MAX_TIME_MS));
  // FerretDB answers this one by scanning the ledger's outcomes: once a minute is plenty for a 15-minute window.
  const notifications = reading('notification_failures', 60_000, () =>
    readNotificationFailures(deps.models, {
      since: new Date(now().getTime() - NOTIFICATION_FAILURE_WINDOW_SECONDS * 1000),
      maxTimeMs: QUERY_MAX_TIME_MS,
    }),
  );
  const taskProblems = reading('workflow_task_problems', 15_000, () =>
    countWorkflowTaskProblems(deps.temporal, QUERY_MAX_TIME_MS),
  );
  const sources: Record<string, BoundedReading<unknown>> = {
    webhook_backlog: webhooks,
    notification_failures: notifications,
    workflow_task_problems: taskProblems,
  };
  const sweep = {
    afterSeconds: deps.config.WEBHOOK_SWEEP_AFTER_SECONDS,
    intervalSeconds: deps.config.WEBHOOK_SWEEP_INTERVAL_SECONDS,
  };

  new Gauge({
    name: 'kyc_webhook_pending_signals',
    help: 'Provider webhooks acknowledged (in the inbox) whose signal has not reached the workflow yet',
    registers: [registry],
    async collect() {
      const { value } = await webhooks.read();
      if (value) this.set(value.pending);
    },
  });
  new Gauge({
    name: 'kyc_webhook_pending_oldest_age_seconds',
    help: 'Age of the oldest acknowledged webhook still waiting for its signal (0 when none)',
    registers: [registry],
    async collect() {
      const { value } = await webhooks.read();
      if (value) this.set(value.oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'kyc_webhook_sweeper_lag_seconds',
    help: 'How long the oldest pending webhook signal has been overdue for the sweeper (age past WEBHOOK_SWEEP_AFTER_SECONDS + one interval)',
    registers: [registry],
    async collect() {
      const { value } = await webhooks.read();
      if (value) this.set(sweeperLagSeconds(value, sweep));
    },
  });
  new Gauge({
    name: 'kyc_notification_failures_recent',
    help: `Notification deliveries that failed on each channel in the last ${NOTIFICATION_FAILURE_WINDOW_SECONDS / 60} minutes (delivery ledger)`,
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      const { value } = await notifications.read();
      if (value) for (const channel of CHANNELS) this.set({ channel }, value[channel]);
    },
  });
  new Gauge({
    name: 'kyc_workflow_task_problems',
    help: 'Running workflows Temporal flags with failing or timing-out workflow tasks (TemporalReportedProblems), by category',
    labelNames: ['category'] as const,
    registers: [registry],
    async collect() {
      const { value } = await taskProblems.read();
      if (value) for (const category of WORKFLOW_TASK_PROBLEMS) this.set({ category }, value[category]);
    },
  });
  new Gauge({
    name: 'kyc_business_gauge_stale',
    help: '1 when a business gauge source failed or overran the scrape budget, so its gauges show the last value read (or none)',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      const states = await Promise.all(Object.values(sources).map((s) => s.read()));
      Object.keys(sources).forEach((source, i) => this.set({ source }, states[i].stale ? 1 : 0));
    },
  });
}
