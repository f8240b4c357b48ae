import type { OpsCommand } from '../command';
import { analyticsRebuild } from './analytics-rebuild';
import { cases } from './cases';
import { createApiClient } from './create-api-client';
import { createInternalAdmin } from './create-internal-admin';
import { createServiceTokenCommand } from './create-service-token';
import { createTenant } from './create-tenant';
import { kycCatalogList, kycCatalogSet } from './kyc-catalog';
import { revokeServiceTokenCommand } from './revoke-service-token';
import { seedDemo } from './seed-demo';
import { setupSchedules } from './setup-schedules';
import { setupTemporal } from './setup-temporal';

// One file per command; register it here.
export const COMMANDS: Record<string, OpsCommand> = {
  'setup-schedules': setupSchedules,
  'setup-temporal': setupTemporal,
  'create-tenant': createTenant,
  'create-internal-admin': createInternalAdmin,
  'create-api-client': createApiClient,
  'create-service-token': createServiceTokenCommand,
  'revoke-service-token': revokeServiceTokenCommand,
  'seed-demo': seedDemo,
  'analytics-rebuild': analyticsRebuild,
  'kyc-catalog-list': kycCatalogList,
  'kyc-catalog-set': kycCatalogSet,
  cases,
};
