import type { OpsCommand } from '../command';
import { createServiceTokenCommand } from './create-service-token';
import { revokeServiceTokenCommand } from './revoke-service-token';

// One file per command; register it here.
export const COMMANDS: Record<string, OpsCommand> = {
  'create-service-token': createServiceTokenCommand,
  'revoke-service-token': revokeServiceTokenCommand,
};
