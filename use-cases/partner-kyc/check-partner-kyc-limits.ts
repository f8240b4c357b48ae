import type { Models } from '../../adapters/models';
import { documentView } from '../../domain/partner-kyc/catalog';
import { covers, tierNeeded } from '../../domain/partner-kyc/tiers';
import type { Direction, KycTier } from '../../domain/partner-kyc/types';
import { catalogFor, recentVolumes } from './partner-kyc-state';
import { findPartnerUser, type PartnerClient } from './partner-users';

/**
 * Seed 003 "may this user do X?": the tier a transaction of this amount would need, per transaction
 * and over the rolling 30-day volume, whether the passed tier covers it, and if not, the documents
 * that would lift the user to it.
 */
export async function checkPartnerKycLimits(
  deps: { models: Models; now: () => Date },
  client: PartnerClient,
  question: { email: string; direction: Direction; amount: number },
) {
  const user = await findPartnerUser(deps.models, client, question.email);
  const catalog = await catalogFor(deps.models, user.country ?? '');
  const { volumes } = await recentVolumes(deps.models, user._id, deps.now());
  const need = tierNeeded(catalog.kycRules, question.direction, question.amount, volumes[question.direction]);
  const passed = (user.kycLevel ?? 'none') as KycTier;
  const allowed = covers(passed, need.required);
  return {
    allowed,
    passedKycType: passed,
    requiredKycType: need.required,
    requiredByAmount: need.byAmount,
    requiredByVolume: need.byVolume,
    volume30d: need.volume,
    documents:
      allowed || need.required === 'none'
        ? []
        : catalog.documents.filter((d) => d.type === need.required).map(documentView),
  };
}
