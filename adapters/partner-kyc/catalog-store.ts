import { BUILT_IN_CATALOGS } from '../../domain/partner-kyc/catalogs';
import { catalogToJson, parseCatalog } from '../../domain/partner-kyc/catalog';
import type { Catalog } from '../../domain/partner-kyc/types';
import type { Models } from '../models';
import { kycCatalogKey } from '../models/kyc-catalog';

type CatalogModels = Pick<Models, 'KycCatalog'>;

/**
 * The catalog in force for a country: the highest version an operator stored, else the built-in
 * one. Stored versions were validated when saved and are validated again here (a hand-edited
 * record can never reach a partner). The collection holds a few records per country, so the
 * country filter's scan is cheap even on the embedded database.
 */
export async function currentCatalog(models: CatalogModels, country: string): Promise<Catalog | null> {
  const stored = await models.KycCatalog.find({ country }).sort({ version: -1 }).limit(1).lean();
  if (stored[0]) return parseCatalog(stored[0].catalog);
  return BUILT_IN_CATALOGS.get(country) ?? null;
}

export async function supportedCountries(models: CatalogModels): Promise<string[]> {
  const stored = await models.KycCatalog.distinct('country');
  return [...new Set([...BUILT_IN_CATALOGS.keys(), ...(stored as string[])])].sort();
}

/** The catalog as of a version (the one a submission was validated against). */
export async function catalogVersion(models: CatalogModels, country: string, version: number): Promise<Catalog | null> {
  const stored = await models.KycCatalog.findById(kycCatalogKey(country, version)).lean();
  if (stored) return parseCatalog(stored.catalog);
  const builtIn = BUILT_IN_CATALOGS.get(country);
  return builtIn && builtIn.version === version ? builtIn : null;
}

/**
 * Stores `raw` as the next version of its country (validated first). Two operators saving at
 * once: one insert wins, the other gets a duplicate-key error and can retry on the new version.
 */
export async function saveCatalogVersion(models: Pick<Models, 'KycCatalog' | 'AuditEvent'>, raw: unknown, actor: string, reason: string | null): Promise<Catalog> {
  const country = (raw as { country?: unknown })?.country;
  if (typeof country !== 'string') throw new Error('the catalog needs a "country"');
  const current = await currentCatalog(models, country);
  const version = (current?.version ?? 0) + 1;
  const catalog = parseCatalog({ ...(raw as object), version });
  await models.KycCatalog.create({ _id: kycCatalogKey(country, version), country, version, catalog: catalogToJson(catalog), actor, reason });
  await models.AuditEvent.create({
    actor,
    subject: kycCatalogKey(country, version),
    action: 'kyc_catalog.version_created',
    from: current ? { version: current.version } : null,
    to: { version, documents: catalog.documents.length },
    reason,
  });
  return catalog;
}
