import { ensureSchedulesOnce } from '../../common/schedules';
import type { OpsCommand } from '../command';

/** Creates (or updates) the Temporal Schedules, e.g. the daily verification sweep. Safe to repeat. */
export const setupSchedules: OpsCommand = {
  usage: 'create or update Temporal Schedules (daily verification sweep); idempotent',
  options: {},
  async run({ config }) {
    return (await ensureSchedulesOnce(config)).join('\n');
  },
};
