import type { Client } from '@temporalio/client';

import type { Config } from '../../../adapters/config';
import type { Models } from '../../../adapters/models';
import type { UserDoc } from '../../../adapters/models/user';
import {
  changeUserStatus as changeStatus,
  type StatusChange,
  UserNotFoundError,
} from '../../../use-cases/users/change-user-status';
import { notFound } from '../http/app-error';

export { reactivationStatus, type StatusChange } from '../../../use-cases/users/change-user-status';

/** The use case (use-cases/users/change-user-status.ts) with its "no such user" as the API's 404. */
export async function changeUserStatus(
  deps: { models: Pick<Models, 'User'>; temporal: Client; config: Pick<Config, 'TASK_QUEUE_PREFIX'> },
  change: StatusChange,
): Promise<UserDoc> {
  try {
    return await changeStatus(deps, change);
  } catch (err) {
    if (err instanceof UserNotFoundError) throw notFound('User');
    throw err;
  }
}
