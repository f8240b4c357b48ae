import type { Client } from '@temporalio/client';

import type { ProcessConfig } from '../../adapters/config';
import type { Connection } from '../../adapters/database';
import type { Logger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';
import type { WebhookDispatcher } from '../../use-cases/webhooks/receive-kyc-webhook';

/** Everything the HTTP layer needs, built once in main.ts (or a test) and passed in. */
export interface ApiDeps {
  /** Only the api's sections (adapters/config/processes.ts). */
  config: ProcessConfig<'api'>;
  logger: Logger;
  db: Connection;
  models: Models;
  temporal: Client;
  /**
   * Sends acknowledged provider webhooks to their workflows. main.ts passes the one its sweeper
   * uses; unset, the webhook routes make their own (no sweeper: tests that do not need one).
   */
  webhookSignals?: WebhookDispatcher;
  /** Injected so tests can observe time-based behaviour without sleeping. */
  now?: () => Date;
}
