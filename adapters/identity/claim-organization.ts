import { createHash } from 'node:crypto';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';
import { slugify } from './create-user';

/**
 * The id an organization registered by name gets: derived from its slug, so every registration
 * naming it races for the same `_id`, and the unique `_id` insert (exact on FerretDB, where
 * read-modify-write is not) lets exactly one of them create it. UUID-shaped (version nibble 8).
 */
export function organizationIdForSlug(slug: string): string {
  const h = createHash('sha256').update(`organization-slug:${slug}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type ClaimResult = { ok: true; organizationId: string } | { ok: false; reason: 'ORG_NAME_TAKEN' | 'ORG_NAME_INVALID' };

/**
 * Creates the organization `name` for `creatorId`, or finds the one this same creator already
 * made (a retried registration). Any other existing organization with that slug — created by
 * another registrant, or by `ops create-tenant` under a random id — means the name is taken.
 */
export async function claimOrganization(models: Pick<Models, 'Organization'>, name: string, creatorId: string): Promise<ClaimResult> {
  const slug = slugify(name);
  if (slug.length < 2) return { ok: false, reason: 'ORG_NAME_INVALID' };
  const _id = organizationIdForSlug(slug);
  try {
    await models.Organization.create({ _id, name: name.trim(), slug, createdBy: creatorId });
    return { ok: true, organizationId: _id };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await models.Organization.findById(_id, { createdBy: 1 }).lean();
    return existing?.createdBy === creatorId ? { ok: true, organizationId: _id } : { ok: false, reason: 'ORG_NAME_TAKEN' };
  }
}
