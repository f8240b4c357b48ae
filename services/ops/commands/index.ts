import type { OpsCommand } from '../command';

// One file per command; register it here.
export const COMMANDS: Record<string, OpsCommand> = {};
