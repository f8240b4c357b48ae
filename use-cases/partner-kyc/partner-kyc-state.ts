import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { currentCatalog, supportedCountries } from '../../adapters/partner-kyc/catalog-store';
import { documentView } from '../../domain/partner-kyc/catalog';
import { reachedKycLimit, VOLUME_WINDOW_MS } from '../../domain/partner-kyc/tiers';
import type { Catalog, CatalogDocument, Direction, FieldSpec, KycRules, KycTier } from '../../domain/partner-kyc/types';
import { badRequest } from '../app-error';

/** The catalog for a country, or 400 UNSUPPORTED_COUNTRY naming the supported ones. */
export async function catalogFor(models: Models, country: string): Promise<Catalog> {
  const catalog = await currentCatalog(models, country);
  if (catalog) return catalog;
  const supported = await supportedCountries(models);
  throw badRequest(
    'UNSUPPORTED_COUNTRY',
    `Partner KYC is not available for ${country}; supported: ${supported.join(', ')}`,
    { supported },
  );
}

/**
 * Sum of the user's non-declined transactions per direction recorded in (now − 30 days, now]. The
 * window runs on the server's clock (`recordedAt`, set when POST /transactions stored it), never on
 * the caller's `createdAt`, which a caller could back- or future-date to move amounts out of it.
 */
export async function recentVolumes(
  models: Models,
  userId: string,
  now: Date,
): Promise<{ volumes: Record<Direction, number>; hasHeld: boolean }> {
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
  const one = (list: KycRules['onramp']) =>
    list.map((r) => ({ min: r.min, max: r.max === Infinity ? ('Infinity' as const) : r.max, type: r.type }));
  return { onramp: one(rules.onramp), offramp: one(rules.offramp) };
};

interface PartnerState {
  status?: string;
  statusDescription?: string;
}

/**
 * The catalog as seed 003's status shows it. The tier rules appear twice: at the top level
 * (`kycRules`), and where the seed's example shows them, inside the last advanced document's
 * `requiredFields` (seed-shaped clients read them there). That copy is not a field to submit:
 * validation reads the catalog's own documents, which never hold it.
 */
export function statusCatalog(catalog: Pick<Catalog, 'documents' | 'kycRules'>) {
  const docs = catalog.documents.map(documentView);
  const kycRules = rulesJson(catalog.kycRules);
  const advancedDocuments: DocumentWithRules[] = docs.filter((d) => d.type === 'advanced');
  const last = advancedDocuments.length - 1;
  if (last >= 0) {
    advancedDocuments[last] = {
      ...advancedDocuments[last],
      requiredFields: { ...advancedDocuments[last].requiredFields, kycRules },
    };
  }
  return { basicDocuments: docs.filter((d) => d.type === 'basic'), advancedDocuments, kycRules };
}

/** A document as the status shows it: the last advanced one also carries the tier rules (seed 003). */
export type DocumentWithRules = Omit<CatalogDocument, 'requiredFields'> & {
  requiredFields: Record<string, FieldSpec | ReturnType<typeof rulesJson>>;
};

/** Seed 003's status object for a user: the tier passed, the latest outcome, the catalog and its rules. */
export async function kycStatusView(models: Models, user: UserDoc, catalog: Catalog, now: Date) {
  const passed = (user.kycLevel ?? 'none') as KycTier;
  const partner = ((user.kyc as Record<string, unknown> | null)?.partner ?? {}) as PartnerState;
  const { volumes, hasHeld } = await recentVolumes(models, user._id, now);
  return {
    passedKycType: passed,
    reachedKycLimit: reachedKycLimit(catalog.kycRules, passed, volumes, hasHeld),
    kycStatus: partner.status ?? 'not_submitted',
    kycStatusDescription: partner.statusDescription ?? 'No documents submitted',
    ...statusCatalog(catalog),
  };
}
