import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

import { tokenDigest } from '../crypto/token-digest';
import type { Models } from '../models';

type InvitationModels = Pick<Models, 'OrgInvitation'>;

/** A new invitation code: `inv_<id>.<secret>`; the id finds the record, the secret proves the holder. */
export async function createOrgInvitation(
  models: InvitationModels,
  input: { tenantId: string; createdBy: string; maxUses: number; expiresAt: Date; label: string | null },
): Promise<{ id: string; code: string }> {
  const id = randomUUID().replace(/-/g, '');
  const secret = randomBytes(24).toString('base64url');
  await models.OrgInvitation.create({ _id: id, secretDigest: tokenDigest(secret), remaining: input.maxUses, ...input });
  return { id, code: `inv_${id}.${secret}` };
}

const parse = (code: string) => /^inv_([0-9a-f]{32})\.([A-Za-z0-9_-]{32})$/.exec(code);

/**
 * Claims one use of `code` for `userId` joining `tenantId`. False for anything that does not hold
 * (malformed, unknown, another tenant's, wrong secret, revoked, expired, used up): callers give one
 * answer for all of them. A repeat by the same registrant (a retried request) claims nothing more.
 */
export async function claimOrgInvitation(
  models: InvitationModels,
  code: string,
  tenantId: string,
  userId: string,
  now: Date,
): Promise<'claimed' | 'repeat' | false> {
  const m = parse(code);
  if (!m) return false;
  const [, id, secret] = m;
  const inv = await models.OrgInvitation.findById(id, { tenantId: 1, secretDigest: 1, claimedBy: 1 }).lean();
  if (!inv || inv.tenantId !== tenantId) return false;
  if (!timingSafeEqual(Buffer.from(inv.secretDigest, 'hex'), Buffer.from(tokenDigest(secret), 'hex'))) return false;
  const live = { _id: id, revokedAt: null, expiresAt: { $gt: now } };
  if (inv.claimedBy.includes(userId)) return (await models.OrgInvitation.exists(live)) !== null ? 'repeat' : false;
  const claimed = await models.OrgInvitation.updateOne(
    { ...live, remaining: { $gt: 0 } },
    { $inc: { remaining: -1 }, $push: { claimedBy: userId } },
  );
  return claimed.modifiedCount === 1 ? 'claimed' : false;
}

/** Gives back a use this very request claimed ('claimed', not 'repeat'): the registration was refused. */
export async function releaseOrgInvitation(models: InvitationModels, code: string, userId: string): Promise<void> {
  const m = parse(code);
  if (!m) return;
  await models.OrgInvitation.updateOne(
    { _id: m[1], claimedBy: userId },
    { $inc: { remaining: 1 }, $pull: { claimedBy: userId } },
  );
}
