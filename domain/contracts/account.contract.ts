import { defineUpdate } from '@temporalio/workflow';

import type { UserStatus } from '../vocabulary/users';

// Contract of the per-user account workflow: the one writer of a user's status once no onboarding
// runs (finished onboardings, staff and partner-created users). The onboarding workflow answers the
// same status update while it runs, so the API asks whichever workflow owns the user right now.
export const ACCOUNT_WORKFLOW = 'account';
/** Business key: the user id (a UUID, never PII). Shown as `account-<userId>` in the Temporal UI. */
export const accountWorkflowId = (userId: string) => `account-${userId}`;

/** The account workflow completes after this long without work; the next change starts a new one. */
export const ACCOUNT_IDLE_MS_DEFAULT = 10 * 60_000;

export interface AccountInput {
  userId: string;
  /** Idle time before the run completes (tests shorten it); ACCOUNT_IDLE_MS_DEFAULT when absent. */
  idleMs?: number;
}

/** An admin's status change, as the audited admin endpoint asks for it. */
export interface StatusChangeRequest {
  to: UserStatus;
  actorId: string;
  reason: string | null;
  requestId: string | null;
}

export interface StatusChangeResult {
  from: UserStatus;
  to: UserStatus;
  /** False when the user already had the status (nothing written, nothing audited). */
  changed: boolean;
}

/** Answered by the onboarding workflow while it runs and by the account workflow otherwise. */
export const changeUserStatusUpdate = defineUpdate<StatusChangeResult, [StatusChangeRequest]>('changeUserStatus');
