import { updateUser } from '../models/user-writes';
import { randomBytes } from 'node:crypto';
import { tokenDigest } from '../crypto/token-digest';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';

type SetupModels = Pick<Models, 'PasswordSetupToken' | 'AuditEvent' | 'User' | 'DocumentLock'>;

/** A fresh set-password token for `userId`: 256 random bits; only its digest is stored. */
export async function issuePasswordSetupToken(models: SetupModels, userId: string, ttlMs: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = `pst_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + ttlMs);
  await models.PasswordSetupToken.create({ _id: tokenDigest(token), userId, expiresAt });
  return { token, expiresAt };
}

export type RedeemResult = { ok: true; userId: string } | { ok: false; reason: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'TOKEN_USED' };

/**
 * Sets the password of the token's user, once. Single use is the insert of the audit event whose
 * `_id` derives from the token digest: of any number of concurrent redemptions exactly one inserts
 * it (a unique `_id` insert is exact on FerretDB; a compare-and-set update is not). Existing
 * sessions end (tokenVersion bump), as after any credential change.
 */
export async function redeemPasswordSetupToken(
  models: SetupModels,
  token: string,
  passwordHash: string,
  meta: { requestId: string | null },
  now = new Date(),
): Promise<RedeemResult> {
  const digest = tokenDigest(token);
  const doc = await models.PasswordSetupToken.findById(digest).lean();
  if (!doc) return { ok: false, reason: 'INVALID_TOKEN' };
  if (doc.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'TOKEN_EXPIRED' };
  const user = await models.User.findById(doc.userId, { status: 1, tenantId: 1 }).lean();
  if (!user || user.status === 'inactive') return { ok: false, reason: 'INVALID_TOKEN' };
  try {
    await models.AuditEvent.create({
      _id: `password-setup:${digest}`,
      actor: doc.userId,
      subject: doc.userId,
      tenantId: user.tenantId ?? null,
      action: 'user.password_set',
      from: null,
      to: { via: 'welcome link' },
      reason: 'set-password link from the welcome email',
      requestId: meta.requestId,
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) return { ok: false, reason: 'TOKEN_USED' };
    throw err;
  }
  await updateUser(models, doc.userId, { $set: { passwordHash }, $inc: { tokenVersion: 1 } });
  return { ok: true, userId: doc.userId };
}
