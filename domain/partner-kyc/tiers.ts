import { type Direction, type KycRules, type KycTier, tierRank } from './types';

// The tier rule (docs/partner-kyc.md, "Tiers"):
// - an amount needs the tier of the rule with `min ≤ amount < max` for its direction;
// - a transaction needs the higher of: the tier for its own amount, and the tier for the user's
//   rolling 30-day volume in that direction INCLUDING it (sum of the amounts of the user's
//   transactions of that direction recorded in (now − 30 days, now] on the server's clock — their
//   `recordedAt`, never the caller's `createdAt` — declined ones excluded);
// - `reachedKycLimit` is true when, in either direction, the tier for the user's current 30-day
//   volume is above the tier they passed, or one of their transactions is held for a step-up.

export const VOLUME_WINDOW_MS = 30 * 24 * 3_600_000;

export function tierForAmount(rules: KycRules, direction: Direction, amount: number): KycTier {
  if (!(amount >= 0)) throw new RangeError('amount must be a non-negative number');
  const rule = rules[direction].find((r) => r.min <= amount && amount < r.max);
  // Catalog validation guarantees coverage of [0, Infinity); Infinity itself is past every max.
  return rule ? rule.type : rules[direction][rules[direction].length - 1].type;
}

export interface TierNeed {
  required: KycTier;
  byAmount: KycTier;
  byVolume: KycTier;
  volume: number;
}

/** What a transaction of `amount` needs, given the user's volume in the window before it. */
export function tierNeeded(rules: KycRules, direction: Direction, amount: number, priorVolume: number): TierNeed {
  const volume = priorVolume + amount;
  const byAmount = tierForAmount(rules, direction, amount);
  const byVolume = tierForAmount(rules, direction, volume);
  return { required: tierRank(byVolume) > tierRank(byAmount) ? byVolume : byAmount, byAmount, byVolume, volume };
}

export const covers = (passed: KycTier, required: KycTier) => tierRank(passed) >= tierRank(required);

export function reachedKycLimit(
  rules: KycRules,
  passed: KycTier,
  volumes: Record<Direction, number>,
  hasHeld: boolean,
): boolean {
  if (hasHeld) return true;
  return (Object.keys(volumes) as Direction[]).some((d) => !covers(passed, tierForAmount(rules, d, volumes[d])));
}
