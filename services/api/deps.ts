import type { Client } from '@temporalio/client';
import type { ProcessConfig } from '../../adapters/config';
import type { Connection } from '../../adapters/database';
import type { Logger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';

/** Everything the HTTP layer needs, built once in main.ts (or a test) and passed in. */
export interface ApiDeps {
  /** Only the api's sections (adapters/config/processes.ts). */
  config: ProcessConfig<'api'>;
  logger: Logger;
  db: Connection;
  models: Models;
  temporal: Client;
  /** Injected so tests can observe time-based behaviour without sleeping. */
  now?: () => Date;
}
