import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

import type { UserActivities } from '../activities/users/create-user-activities';
import {
  ACCOUNT_IDLE_MS_DEFAULT,
  type AccountInput,
  changeUserStatusUpdate,
} from '../domain/contracts/account.contract';
import {
  type BridgeEventSignal,
  bridgeEventSignal,
  type VeriffEventSignal,
  veriffEventSignal,
} from '../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../domain/failures/catalog';
import { lateVeriffEvent } from '../domain/rules/late-veriff-event';
import { USER_STATUSES } from '../domain/vocabulary/users';
import { createAccountWriter, createSerial } from './account-writer';
import { activityProfiles } from './activity-profiles';

/**
 * The one writer of a user's status when no onboarding runs (it ended, or the user never had one:
 * staff, partner-created users). Admin changes arrive as an update (update-with-start), Bridge news
 * and late Veriff decisions as signals (signal-with-start); all are applied one at a time, so every
 * transition sees the one before it. Completes after `idleMs` without work; the next change starts a new run.
 */
export async function account(input: AccountInput): Promise<void> {
  const { userId } = input;
  const idleMs = input.idleMs ?? ACCOUNT_IDLE_MS_DEFAULT;
  const { workflowId, runId } = workflowInfo();
  const users = proxyActivities<UserActivities>(activityProfiles.fast);
  const writer = createAccountWriter(users, userId, (key) => `${workflowId}.${runId}.${key}`);
  const serially = createSerial();
  const bridgeQueue: BridgeEventSignal[] = [];
  const veriffQueue: VeriffEventSignal[] = [];
  const veriffSeen = new Set<string>();
  let working = 0;
  // Every admin change restarts the idle clock, like a Bridge event does.
  let changes = 0;

  setHandler(
    changeUserStatusUpdate,
    async (req) => {
      working += 1;
      changes += 1;
      try {
        return await serially(() => writer.changeStatus(req));
      } finally {
        working -= 1;
      }
    },
    {
      validator: (req) => {
        if (!(USER_STATUSES as readonly string[]).includes(req?.to))
          throw ActivityFailures.create('VALIDATION_ERROR', 'Unknown user status');
      },
    },
  );
  setHandler(bridgeEventSignal, (ev) => {
    bridgeQueue.push(ev);
  });
  setHandler(veriffEventSignal, (ev) => {
    veriffQueue.push(ev);
  });
  const news = () => bridgeQueue.length + veriffQueue.length;

  /** A Veriff decision after the onboarding: recorded, never acted on alone (domain/rules/late-veriff-event.ts). */
  async function applyLateVeriff(ev: VeriffEventSignal) {
    if (veriffSeen.has(ev.eventKey)) return;
    veriffSeen.add(ev.eventKey);
    const standing = await users.readAccountStanding({ userId });
    const outcome = standing ? lateVeriffEvent(ev, standing, new Date().toISOString()) : { record: false as const };
    if (outcome.record)
      await users.recordKycState({ userId, provider: 'veriff', state: { lateDecision: outcome.lateDecision } });
  }

  for (;;) {
    const seenChanges = changes;
    const idle = !(await condition(() => news() > 0 || changes !== seenChanges, idleMs));
    if (idle && working === 0) {
      // Nothing arrived in `idleMs`: finish (after any update that slipped in is answered).
      await condition(allHandlersFinished);
      if (news() === 0) return;
    }
    while (bridgeQueue.length > 0) {
      const ev = bridgeQueue.shift()!;
      await serially(() => writer.applyBridgeEvent(ev));
    }
    while (veriffQueue.length > 0) {
      const ev = veriffQueue.shift()!;
      await serially(() => applyLateVeriff(ev));
    }
    // A long-lived account keeps its history short; the state lives on the user record.
    if (workflowInfo().continueAsNewSuggested && working === 0) {
      await condition(allHandlersFinished);
      if (news() === 0) await continueAsNew<typeof account>(input);
    }
  }
}
