import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';

import {
  type PartnerKycActivities,
  tierPassedSignal,
  type TransactionHoldInput,
  type TransactionHoldResult,
} from '../domain/contracts/partner-kyc.contract';
import { decideHoldUpdate, TransactionHoldFailures } from '../domain/contracts/transaction-hold.contract';
import { covers } from '../domain/partner-kyc/tiers';
import { higherTier, type KycTier } from '../domain/partner-kyc/types';
import { activityProfiles } from './activity-profiles';

const db = proxyActivities<PartnerKycActivities>(activityProfiles.fast);

/**
 * A transaction that needs a higher tier than the user passed (step-up). Released as soon as the
 * tier passes (the partner-KYC workflow signals every hold of the user after an outcome), declined
 * at the deadline. The tier is read once after the signal handler is installed, so a pass that
 * landed between recording the transaction and starting this workflow is not missed.
 *
 * A person may decide earlier (decideHold update, from a `transaction_hold_expiring` case): the
 * same wait ends, the same settle activity runs. The handler and the extra wake-up condition add
 * no command, so histories recorded before them replay unchanged.
 */
export async function transactionHold(input: TransactionHoldInput): Promise<TransactionHoldResult> {
  let passed: KycTier = 'none';
  let decided: 'release' | 'decline' | null = null;
  let settled: TransactionHoldResult['outcome'] | null = null;
  setHandler(tierPassedSignal, ({ tier }) => {
    passed = higherTier(passed, tier);
  });
  setHandler(
    decideHoldUpdate,
    async (cmd) => {
      decided = cmd.decision;
      // Answer once the transaction carries the outcome, so the caller reads it settled.
      await condition(() => settled !== null);
      return { outcome: settled! };
    },
    {
      validator: (cmd) => {
        if (cmd?.decision !== 'release' && cmd?.decision !== 'decline')
          throw TransactionHoldFailures.create('VALIDATION_ERROR', 'decision must be release or decline');
        if (settled !== null || decided !== null || covers(passed, input.requiredTier))
          throw TransactionHoldFailures.create('HOLD_SETTLED', 'The hold is already settled');
      },
    },
  );
  passed = higherTier(passed, await db.currentPartnerTier({ userId: input.userId }));
  const released = await condition(
    () => covers(passed, input.requiredTier) || decided !== null,
    Math.max(1, new Date(input.deadline).getTime() - Date.now()),
  );
  const outcome = released && decided !== 'decline' ? 'released' : 'declined';
  await db.settleHeldTransaction({ transactionId: input.transactionId, outcome });
  settled = outcome;
  await condition(allHandlersFinished);
  return { outcome };
}
