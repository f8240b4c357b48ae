import type { OpsCommand } from '../command';
import { createApiClient } from './create-api-client';
import { createInternalAdmin } from './create-internal-admin';
import { createTenant } from './create-tenant';

// One file per command; register it here.
export const COMMANDS: Record<string, OpsCommand> = {
  'create-tenant': createTenant,
  'create-internal-admin': createInternalAdmin,
  'create-api-client': createApiClient,
};
