import { createHash } from 'node:crypto';

import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';
import { updateUser } from '../models/user-writes';
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

export type ClaimResult =
  { ok: true; organizationId: string } | { ok: false; reason: 'ORG_NAME_TAKEN' | 'ORG_NAME_INVALID' };

export interface ClaimOptions {
  now: Date;
  /** A registration unconfirmed for this long has ended (abandoned): its name claim lapses. */
  unconfirmedLapseMs: number;
}

/**
 * Creates the organization `name` for `creatorId`, or finds the one this same creator already
 * made (a retried registration). An organization made by `ops create-tenant` (no creator) or by a
 * registrant who confirmed their address is taken. A name only becomes someone's for good when its
 * registrant proves their mailbox: one whose registrant never confirmed (or never came to exist)
 * within `unconfirmedLapseMs` is handed to the new registrant by a compare-and-set on `createdBy`,
 * and the lapsed registrant's record loses the organization and its BANK_ADMIN role.
 */
export async function claimOrganization(
  models: Pick<Models, 'Organization' | 'User' | 'DocumentLock'>,
  name: string,
  creatorId: string,
  opts: ClaimOptions,
): Promise<ClaimResult> {
  const slug = slugify(name);
  if (slug.length < 2) return { ok: false, reason: 'ORG_NAME_INVALID' };
  const _id = organizationIdForSlug(slug);
  try {
    await models.Organization.create({ _id, name: name.trim(), slug, createdBy: creatorId });
    return { ok: true, organizationId: _id };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const existing = await models.Organization.findById(_id, { createdBy: 1, createdAt: 1 }).lean();
  if (existing?.createdBy === creatorId) return { ok: true, organizationId: _id };
  if (!existing?.createdBy) return { ok: false, reason: 'ORG_NAME_TAKEN' };
  const holder = await models.User.findById(existing.createdBy, {
    emailVerifiedAt: 1,
    updatedAt: 1,
    tenantId: 1,
  }).lean();
  const since = new Date((holder?.updatedAt as Date | undefined) ?? existing.createdAt ?? opts.now).getTime();
  const lapsed = !holder?.emailVerifiedAt && opts.now.getTime() - since > opts.unconfirmedLapseMs;
  if (!lapsed) return { ok: false, reason: 'ORG_NAME_TAKEN' };
  const taken = await models.Organization.updateOne(
    { _id, createdBy: existing.createdBy },
    { $set: { createdBy: creatorId, name: name.trim() } },
  );
  if (taken.modifiedCount !== 1) return { ok: false, reason: 'ORG_NAME_TAKEN' };
  if (holder) {
    // Still unconfirmed (checked on the locked record): it never was, and now is not, this organization's admin.
    await updateUser(models, holder._id, (current) =>
      current.emailVerifiedAt || current.tenantId !== _id
        ? null
        : { $set: { tenantId: null, role: 'retail', userType: 'user', staffRole: null } },
    );
  }
  return { ok: true, organizationId: _id };
}
