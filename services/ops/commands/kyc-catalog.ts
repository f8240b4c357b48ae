import { readFile } from 'node:fs/promises';
import { currentCatalog, saveCatalogVersion, supportedCountries } from '../../../adapters/partner-kyc/catalog-store';
import { catalogToJson } from '../../../domain/partner-kyc/catalog';
import { requireArg, type OpsCommand } from '../command';

/** Lists the partner-KYC catalogs in force (or one country's, as JSON with --country). */
export const kycCatalogList: OpsCommand = {
  usage: '[--country NG]',
  options: { country: { type: 'string' } },
  async run({ models, args }) {
    if (typeof args.country === 'string') {
      const catalog = await currentCatalog(models, args.country.toUpperCase());
      if (!catalog) throw new Error(`no catalog for ${args.country}; supported: ${(await supportedCountries(models)).join(', ')}`);
      return JSON.stringify(catalogToJson(catalog), null, 2);
    }
    const lines = [];
    for (const country of await supportedCountries(models)) {
      const c = (await currentCatalog(models, country))!;
      const n = (t: string) => c.documents.filter((d) => d.type === t).length;
      const rules = c.kycRules.onramp.map((r) => `${r.min}-${r.max}:${r.type}`).join(' ');
      lines.push(`${country} v${c.version}  ${n('basic')} basic, ${n('advanced')} advanced  onramp ${rules}`);
    }
    return lines.join('\n');
  },
};

/**
 * Stores a new version of a country's catalog from a JSON file: a whole catalog, or just
 * `{"kycRules": …}` to change the tier rules of the catalog in force. Validated like the built-in
 * files (patterns, examples, rule coverage) before anything is written; audited.
 */
export const kycCatalogSet: OpsCommand = {
  usage: '--country NG --file catalog.json [--reason "..."] [--actor ops@example.com]',
  options: { country: { type: 'string' }, file: { type: 'string' }, reason: { type: 'string' }, actor: { type: 'string' } },
  async run({ models, args }) {
    const country = requireArg(args, 'country').toUpperCase();
    const raw = JSON.parse(await readFile(requireArg(args, 'file'), 'utf8')) as Record<string, unknown>;
    const current = await currentCatalog(models, country);
    const merged = raw.documents ? { ...raw, country } : current ? { ...(catalogToJson(current) as object), ...raw, country } : null;
    if (!merged) throw new Error(`${country} has no catalog yet: give a whole catalog (documents, kycRules, acceptPartialMatch)`);
    const actor = `ops:${typeof args.actor === 'string' ? args.actor : (process.env.USER ?? 'cli')}`;
    const saved = await saveCatalogVersion(models, merged, actor, typeof args.reason === 'string' ? args.reason : null);
    return `${country} catalog v${saved.version} stored (${saved.documents.length} documents)`;
  },
};
