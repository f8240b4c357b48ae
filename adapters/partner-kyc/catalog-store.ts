import { CatalogError, catalogToJson, parseCatalog } from '../../domain/partner-kyc/catalog';
import { BUILT_IN_CATALOGS } from '../../domain/partner-kyc/catalogs';
import type { Catalog } from '../../domain/partner-kyc/types';
import type { Models } from '../models';
import { kycCatalogKey } from '../models/kyc-catalog';

type CatalogModels = Pick<Models, 'KycCatalog'>;

/**
 * A stored version that no longer passes validation (hand-edited, or stored before a stricter
 * check such as the regexp guard). It is never used: the country's requests fail until an operator
 * stores a corrected version, which `saveCatalogVersion` always allows.
 */
export class StoredCatalogError extends CatalogError {
  constructor(
    readonly country: string,
    readonly version: number,
    problems: string[],
  ) {
    super(problems);
    this.name = 'StoredCatalogError';
    this.message = `the stored ${country} catalog v${version} does not pass validation; store a corrected version with \`npm run ops -- kyc-catalog-set --country ${country} --file <whole catalog>.json\` (\`kyc-catalog-list --country ${country} --raw\` prints the stored one):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  }
}

function parseStored(record: { country: string; version: number; catalog: unknown }): Catalog {
  try {
    return parseCatalog(record.catalog);
  } catch (err) {
    if (err instanceof CatalogError) throw new StoredCatalogError(record.country, record.version, err.problems);
    throw err;
  }
}

const latestStored = async (models: CatalogModels, country: string) =>
  (await models.KycCatalog.find({ country }).sort({ version: -1 }).limit(1).lean())[0] ?? null;

/**
 * The catalog in force for a country: the highest version an operator stored, else the built-in
 * one. Stored versions were validated when saved and are validated again here (a hand-edited
 * record can never reach a partner; an invalid one is skipped for the newest valid one). The collection holds
 * a few records per country, so the country filter's scan is cheap even on the embedded database.
 */
export async function currentCatalog(models: CatalogModels, country: string): Promise<Catalog | null> {
  // A stored version the guard refuses now (stored before it existed) is skipped, not served and
  // not a 500: partners get the newest version that validates, else the built-in one, while
  // `kyc-catalog-list` shows the refused one as INVALID until an operator stores a fix.
  const versions = await models.KycCatalog.find({ country }).sort({ version: -1 }).limit(20).lean();
  for (const stored of versions) {
    try {
      return parseStored(stored);
    } catch (err) {
      if (!(err instanceof StoredCatalogError)) throw err;
    }
  }
  return BUILT_IN_CATALOGS.get(country) ?? null;
}

/** Why the newest stored version of a country is not served (null: it is, or none is stored). */
export async function newestStoredRefusal(models: CatalogModels, country: string): Promise<StoredCatalogError | null> {
  const stored = await latestStored(models, country);
  if (!stored) return null;
  try {
    parseStored(stored);
    return null;
  } catch (err) {
    if (err instanceof StoredCatalogError) return err;
    throw err;
  }
}

/** The catalog in force as stored JSON, without validating it (the ops CLI edits and prints it). */
export async function currentCatalogJson(
  models: CatalogModels,
  country: string,
): Promise<Record<string, unknown> | null> {
  const stored = await latestStored(models, country);
  if (stored) return stored.catalog as Record<string, unknown>;
  const builtIn = BUILT_IN_CATALOGS.get(country);
  return builtIn ? (catalogToJson(builtIn) as Record<string, unknown>) : null;
}

export async function supportedCountries(models: CatalogModels): Promise<string[]> {
  const stored = await models.KycCatalog.distinct('country');
  return [...new Set([...BUILT_IN_CATALOGS.keys(), ...(stored as string[])])].sort();
}

/** The catalog as of a version (the one a submission was validated against). */
export async function catalogVersion(models: CatalogModels, country: string, version: number): Promise<Catalog | null> {
  const stored = await models.KycCatalog.findById(kycCatalogKey(country, version)).lean();
  if (stored) return parseStored(stored);
  const builtIn = BUILT_IN_CATALOGS.get(country);
  return builtIn && builtIn.version === version ? builtIn : null;
}

/**
 * Stores `raw` as the next version of its country (validated first). The next version number comes
 * from the records, not from a parsed catalog, so a fix can replace a stored version that no longer
 * validates. Two operators saving at once: one insert wins, the other gets a duplicate-key error and
 * can retry on the new version.
 */
export async function saveCatalogVersion(
  models: Pick<Models, 'KycCatalog' | 'AuditEvent'>,
  raw: unknown,
  actor: string,
  reason: string | null,
): Promise<Catalog> {
  const country = (raw as { country?: unknown })?.country;
  if (typeof country !== 'string') throw new Error('the catalog needs a "country"');
  const stored = await latestStored(models, country);
  const previous = stored?.version ?? BUILT_IN_CATALOGS.get(country)?.version ?? null;
  const version = (previous ?? 0) + 1;
  const catalog = parseCatalog({ ...(raw as object), version });
  await models.KycCatalog.create({
    _id: kycCatalogKey(country, version),
    country,
    version,
    catalog: catalogToJson(catalog),
    actor,
    reason,
  });
  await models.AuditEvent.create({
    actor,
    subject: kycCatalogKey(country, version),
    action: 'kyc_catalog.version_created',
    from: previous === null ? null : { version: previous },
    to: { version, documents: catalog.documents.length },
    reason,
  });
  return catalog;
}
