import type { OpsCommand } from '../command';
import { setupSchedules } from './setup-schedules';
import { setupTemporal } from './setup-temporal';

// One file per command; register it here.
export const COMMANDS: Record<string, OpsCommand> = {
  'setup-schedules': setupSchedules,
  'setup-temporal': setupTemporal,
};
