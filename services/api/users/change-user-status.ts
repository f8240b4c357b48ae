import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Models } from '../../../adapters/models';
import { adminStatusChangedSignal, onboardingWorkflowId } from '../../../domain/contracts/onboarding.contract';
import type { UserDoc } from '../../../adapters/models/user';
import type { UserStatus } from '../../../domain/vocabulary/users';
import { notFound } from '../http/app-error';
import { auditedUserUpdate } from './audited-user-update';

export interface StatusChange {
  actorId: string;
  userId: string;
  to: UserStatus;
  reason: string | null;
  requestId: string | null;
}

/** The status a reactivated user returns to: the one held before deactivation. */
export const reactivationStatus = (u: Pick<UserDoc, 'statusBeforeDeactivation'>): UserStatus => u.statusBeforeDeactivation ?? 'active';

/**
 * The ONE place a user's status changes outside the onboarding workflow: compare-and-set update,
 * tokenVersion bump (existing tokens stop working at once) and an audit event. Deactivation keeps
 * the previous status so reactivation restores it. The user's onboarding workflow, if still
 * running, is told, so it closes instead of overwriting the admin's decision.
 */
export async function changeUserStatus(deps: { models: Pick<Models, 'User' | 'DocumentLock' | 'AuditEvent' | 'AnalyticsOutbox'>; temporal: Client }, change: StatusChange): Promise<UserDoc> {
  const user = (await deps.models.User.findById(change.userId).lean()) as UserDoc | null;
  if (!user) throw notFound('User');
  if (user.status === change.to) return user;
  const updated = await auditedUserUpdate(deps.models, user, {
    expect: { status: user.status },
    set: {
      status: change.to,
      statusBeforeDeactivation: change.to === 'inactive' ? user.status : null,
      ...(change.to === 'active' && !user.activatedAt ? { activatedAt: new Date() } : {}),
    },
    audit: { actorId: change.actorId, action: 'user.status_changed', from: user.status, to: change.to, reason: change.reason, requestId: change.requestId },
  });
  try {
    await deps.temporal.workflow.getHandle(onboardingWorkflowId(user._id)).signal(adminStatusChangedSignal, { status: change.to, actor: change.actorId, reason: change.reason });
  } catch (err) {
    // Staff, partner-created and finished users have no running onboarding: nothing to tell.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  return updated;
}
