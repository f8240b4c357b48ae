import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { currentCatalog, supportedCountries } from '../../adapters/partner-kyc/catalog-store';
import { documentView } from '../../domain/partner-kyc/catalog';
import { reachedKycLimit, VOLUME_WINDOW_MS } from '../../domain/partner-kyc/tiers';
import type { Catalog, Direction, KycRules, KycTier } from '../../domain/partner-kyc/types';
import { badRequest } from '../app-error';

/** The catalog for a country, or 400 UNSUPPORTED_COUNTRY naming the supported ones. */
export async function catalogFor(models: Models, country: string): Promise<Catalog> {
  const catalog = await currentCatalog(models, country);
  if (catalog) return catalog;
  const supported = await supportedCountries(models);
  throw badRequest('UNSUPPORTED_COUNTRY', `Partner KYC is not available for ${country}; supported: ${supported.join(', ')}`, { supported });
}

/**
 * Sum of the user's non-declined transactions per direction recorded in (now − 30 days, now]. The
 * window runs on the server's clock (`recordedAt`, set when POST /transactions stored it), never on
 * the caller's `createdAt`, which a caller could back- or future-date to move amounts out of it.
 */
export async function recentVolumes(models: Models, userId: string, now: Date): Promise<{ volumes: Record<Direction, number>; hasHeld: boolean }> {
  // A scan on the embedded database (userId is not _id); see docs/partner-kyc.md "Costs".
  const txs = await models.Transaction.find({ userId }, { direction: 1, amount: 1, recordedAt: 1, status: 1 }).lean();
  const since = now.getTime() - VOLUME_WINDOW_MS;
  const volumes: Record<Direction, number> = { onramp: 0, offramp: 0 };
  let hasHeld = false;
  for (const t of txs) {
    if (t.status === 'held') hasHeld = true;
    const at = new Date(t.recordedAt).getTime();
    if (t.status !== 'declined' && at > since && at <= now.getTime()) volumes[t.direction as Direction] += t.amount;
  }
  return { volumes, hasHeld };
}

export const rulesJson = (rules: KycRules) => {
  const one = (list: KycRules['onramp']) => list.map((r) => ({ min: r.min, max: r.max === Infinity ? ('Infinity' as const) : r.max, type: r.type }));
  return { onramp: one(rules.onramp), offramp: one(rules.offramp) };
};

interface PartnerState {
  status?: string;
  statusDescription?: string;
}

/** The seed's status object (kycRules at the top level; the seed nests them in the last document by mistake). */
export async function kycStatusView(models: Models, user: UserDoc, catalog: Catalog, now: Date) {
  const passed = (user.kycLevel ?? 'none') as KycTier;
  const partner = ((user.kyc as Record<string, unknown> | null)?.partner ?? {}) as PartnerState;
  const { volumes, hasHeld } = await recentVolumes(models, user._id, now);
  const docs = catalog.documents.map(documentView);
  return {
    passedKycType: passed,
    reachedKycLimit: reachedKycLimit(catalog.kycRules, passed, volumes, hasHeld),
    kycStatus: partner.status ?? 'not_submitted',
    kycStatusDescription: partner.statusDescription ?? 'No documents submitted',
    basicDocuments: docs.filter((d) => d.type === 'basic'),
    advancedDocuments: docs.filter((d) => d.type === 'advanced'),
    kycRules: rulesJson(catalog.kycRules),
  };
}
