import { condition, proxyActivities, setHandler } from '@temporalio/workflow';

import {
  type PartnerKycActivities,
  tierPassedSignal,
  type TransactionHoldInput,
  type TransactionHoldResult,
} from '../domain/contracts/partner-kyc.contract';
import { covers } from '../domain/partner-kyc/tiers';
import { higherTier, type KycTier } from '../domain/partner-kyc/types';
import { activityProfiles } from './activity-profiles';

const db = proxyActivities<PartnerKycActivities>(activityProfiles.fast);

/**
 * A transaction that needs a higher tier than the user passed (step-up). Released as soon as the
 * tier passes (the partner-KYC workflow signals every hold of the user after an outcome), declined
 * at the deadline. The tier is read once after the signal handler is installed, so a pass that
 * landed between recording the transaction and starting this workflow is not missed.
 */
export async function transactionHold(input: TransactionHoldInput): Promise<TransactionHoldResult> {
  let passed: KycTier = 'none';
  setHandler(tierPassedSignal, ({ tier }) => {
    passed = higherTier(passed, tier);
  });
  passed = higherTier(passed, await db.currentPartnerTier({ userId: input.userId }));
  const released = await condition(
    () => covers(passed, input.requiredTier),
    Math.max(1, new Date(input.deadline).getTime() - Date.now()),
  );
  const outcome = released ? 'released' : 'declined';
  await db.settleHeldTransaction({ transactionId: input.transactionId, outcome });
  return { outcome };
}
