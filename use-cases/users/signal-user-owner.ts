import {
  type Client,
  WithStartWorkflowOperation,
  type WorkflowHandle,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';

import { executeUpdateSurvivingTaskFailures } from '../../adapters/temporal/execute-update';
import { ACCOUNT_WORKFLOW, type AccountInput, accountWorkflowId } from '../../domain/contracts/account.contract';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';

export interface UserOwnerDeps {
  temporal: Client;
  /** The account workflow's task queue (the onboarding queue: both run on the onboarding worker). */
  accountTaskQueue: string;
}

/** Which workflow took the message (`none`: no onboarding runs and the account fallback was refused). */
export type UserOwner = 'onboarding' | 'account' | 'none';

async function hasEnded(run: WorkflowHandle): Promise<boolean> {
  try {
    return (await run.describe()).status.name !== 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return true;
    throw err;
  }
}

/**
 * "Who owns this user": the onboarding run while it runs, else the per-user account workflow
 * (started on demand). The account workflow starts only after the onboarding ended, so the two
 * never write the user at once. A run that closed while the message was in flight (e.g. the
 * activating webhook won the race) can answer with another error than "not found": it is the same
 * case, so the run's state decides. The one place this fallback is written (docs/webhooks.md).
 */
async function toUserOwner<T>(
  deps: UserOwnerDeps,
  userId: string,
  send: {
    onboarding: (run: WorkflowHandle) => Promise<T>;
    account: (start: { workflowId: string; taskQueue: string; args: [AccountInput] }) => Promise<T>;
  },
): Promise<T> {
  const run = deps.temporal.workflow.getHandle(onboardingWorkflowId(userId));
  try {
    return await send.onboarding(run);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError) && !(await hasEnded(run))) throw err;
  }
  return send.account({ workflowId: accountWorkflowId(userId), taskQueue: deps.accountTaskQueue, args: [{ userId }] });
}

/**
 * A signal to the user's owner (signal-with-start of the account workflow after the onboarding).
 * `accountAllowed` guards the start: a webhook naming a user id that has no user must not start
 * an account workflow for nobody (`none`).
 */
export async function signalUserOwner<A>(
  deps: UserOwnerDeps,
  userId: string,
  signal: SignalDefinition<[A]>,
  arg: A,
  accountAllowed: () => Promise<boolean> = async () => true,
): Promise<UserOwner> {
  return toUserOwner<UserOwner>(deps, userId, {
    onboarding: (run) => run.signal(signal, arg).then(() => 'onboarding'),
    account: async (start) => {
      if (!(await accountAllowed())) return 'none';
      await deps.temporal.workflow.signalWithStart(ACCOUNT_WORKFLOW, { ...start, signal, signalArgs: [arg] });
      return 'account';
    },
  });
}

/** An update to the user's owner (update-with-start of the account workflow after the onboarding). */
export async function updateUserOwner<A, R>(
  deps: UserOwnerDeps,
  userId: string,
  update: UpdateDefinition<R, [A]>,
  arg: A,
): Promise<R> {
  return toUserOwner(deps, userId, {
    // A dropped update is sent again (execute-update.ts); update-with-start below makes a new run.
    onboarding: (run) => executeUpdateSurvivingTaskFailures(run, update, arg),
    account: (start) =>
      deps.temporal.workflow.executeUpdateWithStart(update, {
        args: [arg],
        startWorkflowOperation: new WithStartWorkflowOperation(ACCOUNT_WORKFLOW, {
          ...start,
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      }),
  });
}
