import { readFile } from 'node:fs/promises';

import {
  currentCatalog,
  currentCatalogJson,
  newestStoredRefusal,
  saveCatalogVersion,
  supportedCountries,
} from '../../../adapters/partner-kyc/catalog-store';
import { catalogToJson } from '../../../domain/partner-kyc/catalog';
import { type OpsCommand, requireArg } from '../command';

/**
 * Lists the partner-KYC catalogs in force (or one country's, as JSON with --country; with --raw the
 * stored JSON even when it no longer validates, to edit and store a fix).
 */
export const kycCatalogList: OpsCommand = {
  usage: '[--country NG [--raw]]',
  options: { country: { type: 'string' }, raw: { type: 'boolean' } },
  async run({ models, args }) {
    if (typeof args.country === 'string') {
      const country = args.country.toUpperCase();
      const catalog = args.raw
        ? await currentCatalogJson(models, country)
        : await currentCatalog(models, country).then((c) => c && catalogToJson(c));
      if (!catalog)
        throw new Error(`no catalog for ${args.country}; supported: ${(await supportedCountries(models)).join(', ')}`);
      return JSON.stringify(catalog, null, 2);
    }
    const lines = [];
    for (const country of await supportedCountries(models)) {
      const c = (await currentCatalog(models, country))!;
      const refused = await newestStoredRefusal(models, country);
      if (refused) {
        const problems = `${refused.problems.length} problem${refused.problems.length === 1 ? '' : 's'}: ${refused.problems[0]}`;
        lines.push(
          `${country} v${refused.version}  INVALID, not served (${problems}); v${c.version} is served; fix with kyc-catalog-set`,
        );
      }
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
 * files (patterns, examples, rule coverage) before anything is written; audited. A refusal names
 * each document, field and reason (e.g. a regexp the guard refuses and why).
 */
export const kycCatalogSet: OpsCommand = {
  usage: '--country NG --file catalog.json [--reason "..."] [--actor ops@example.com]',
  options: {
    country: { type: 'string' },
    file: { type: 'string' },
    reason: { type: 'string' },
    actor: { type: 'string' },
  },
  async run({ models, args }) {
    const country = requireArg(args, 'country').toUpperCase();
    const raw = JSON.parse(await readFile(requireArg(args, 'file'), 'utf8')) as Record<string, unknown>;
    // The stored JSON, validated or not: the merged result is validated before it is stored.
    const current = raw.documents ? null : await currentCatalogJson(models, country);
    const merged = raw.documents ? { ...raw, country } : current ? { ...current, ...raw, country } : null;
    if (!merged)
      throw new Error(`${country} has no catalog yet: give a whole catalog (documents, kycRules, acceptPartialMatch)`);
    const actor = `ops:${typeof args.actor === 'string' ? args.actor : (process.env.USER ?? 'cli')}`;
    const saved = await saveCatalogVersion(models, merged, actor, typeof args.reason === 'string' ? args.reason : null);
    return `${country} catalog v${saved.version} stored (${saved.documents.length} documents)`;
  },
};
