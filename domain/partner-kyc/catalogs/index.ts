import { parseCatalog } from '../catalog';
import type { Catalog } from '../types';
import gh from './gh.json';
import ke from './ke.json';
import ng from './ng.json';
import za from './za.json';

/**
 * The catalogs shipped with the service (version 1 of each country). Parsed when this module is
 * loaded, so a broken file stops the process at start-up instead of failing a partner's request.
 * Operators add newer versions with `npm run ops -- kyc-catalog-set` (stored in the database).
 */
export const BUILT_IN_CATALOGS: ReadonlyMap<string, Catalog> = new Map(
  [ng, gh, ke, za].map((raw) => {
    const c = parseCatalog(raw);
    return [c.country, c] as const;
  }),
);
