import type { OpsCommand } from '../command';
import { setupTemporal } from './setup-temporal';

// One file per command; register it here.
export const COMMANDS: Record<string, OpsCommand> = {
  'setup-temporal': setupTemporal,
};
