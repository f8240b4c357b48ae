import type { ParseArgsConfig } from 'node:util';

import type { ProcessConfig } from '../../adapters/config';
import type { Models } from '../../adapters/models';

export interface OpsCommand {
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Takes words after the command (e.g. `cases list`, `cases show <id>`). */
  positionals?: true;
  /** Returns what to print. Throw an Error with a one-line message for bad input. */
  run(ctx: {
    config: ProcessConfig<'ops'>;
    models: Models;
    args: Record<string, string | boolean | undefined>;
    positionals?: string[];
  }): Promise<string>;
}

export function requireArg(args: Record<string, string | boolean | undefined>, name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`--${name} is required`);
  return v.trim();
}
