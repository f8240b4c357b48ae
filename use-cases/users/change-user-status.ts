import type { Client } from '@temporalio/client';

import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { changeUserStatusUpdate, type StatusChangeRequest } from '../../domain/contracts/account.contract';
import { taskQueues } from '../../domain/task-queues';
import type { UserStatus } from '../../domain/vocabulary/users';
import { updateUserOwner } from './signal-user-owner';

export interface StatusChange {
  actorId: string;
  userId: string;
  to: UserStatus;
  reason: string | null;
  requestId: string | null;
}

/** The user does not exist (the API answers 404, the CLI prints it). */
export class UserNotFoundError extends Error {
  constructor() {
    super('User not found');
    this.name = 'UserNotFoundError';
  }
}

/** The status a reactivated user returns to: the one held before deactivation. */
export const reactivationStatus = (u: Pick<UserDoc, 'statusBeforeDeactivation'>): UserStatus =>
  u.statusBeforeDeactivation ?? 'active';

/**
 * An admin's status change (PUT /users/{id}/status, tenant staff routes, case actions, ops CLI). The
 * API never writes a status itself: it asks the one writer of the user's status — the onboarding workflow while it runs, else the per-user account workflow (started
 * on demand) — which applies it in turn with its own transitions (status, tokenVersion bump and the
 * audit event; deactivation keeps the previous status so reactivation restores it). The answer is
 * read after the update returned, so it shows the change.
 */
export async function changeUserStatus(
  deps: { models: Pick<Models, 'User'>; temporal: Client; config: Pick<Config, 'TASK_QUEUE_PREFIX'> },
  change: StatusChange,
): Promise<UserDoc> {
  const readUser = async () => {
    const user = (await deps.models.User.findById(change.userId).lean()) as UserDoc | null;
    if (!user) throw new UserNotFoundError();
    return user;
  };
  const user = await readUser();
  if (user.status === change.to) return user;
  const request: StatusChangeRequest = {
    to: change.to,
    actorId: change.actorId,
    reason: change.reason,
    requestId: change.requestId,
  };
  // The onboarding workflow while it runs, else the account workflow (use-cases/users/signal-user-owner.ts).
  const owner = { temporal: deps.temporal, accountTaskQueue: taskQueues(deps.config.TASK_QUEUE_PREFIX).onboarding };
  await updateUserOwner(owner, user._id, changeUserStatusUpdate, request);
  return readUser();
}
