import { randomBytes } from 'node:crypto';

import type { Config } from '../config';
import { tokenDigest } from '../crypto/token-digest';
import type { Models } from '../models';
import { updateUser } from '../models/user-writes';
import { recordPasswordEvent } from './password-audit';

type SetupModels = Pick<Models, 'PasswordSetupToken' | 'AuditEvent' | 'User' | 'DocumentLock'>;

/** Where the welcome email's link points: PASSWORD_SETUP_URL, or the API's own /set-password page. */
export const passwordSetupPage = (config: Pick<Config, 'PASSWORD_SETUP_URL' | 'API_PUBLIC_URL'>) =>
  config.PASSWORD_SETUP_URL ?? `${config.API_PUBLIC_URL.replace(/\/$/, '')}/set-password`;

/** The link carrying `token`. */
export function passwordSetupLink(
  config: Pick<Config, 'PASSWORD_SETUP_URL' | 'API_PUBLIC_URL'>,
  token: string,
): string {
  const url = new URL(passwordSetupPage(config));
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * A fresh set-password token for `userId`: 256 random bits; only its digest is stored, and the
 * user's earlier tokens are deleted, so only the newest link works. Called by the notifications
 * worker inside the email send (each attempt that reaches the provider mints one): the plaintext
 * exists only in that activity's memory and in the email, never in workflow history.
 */
export async function issuePasswordSetupToken(
  models: Pick<Models, 'PasswordSetupToken'>,
  userId: string,
  ttlMs: number,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = `pst_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + ttlMs);
  const digest = tokenDigest(token);
  await models.PasswordSetupToken.create({ _id: digest, userId, expiresAt });
  await models.PasswordSetupToken.deleteMany({ userId, _id: { $ne: digest } });
  return { token, expiresAt };
}

export type RedeemResult =
  { ok: true; userId: string } | { ok: false; reason: 'INVALID_TOKEN' | 'TOKEN_EXPIRED' | 'TOKEN_USED' };

/**
 * Sets the password of the token's user, once. Single use is the insert of the audit event whose
 * `_id` derives from the token digest: of any number of concurrent redemptions exactly one inserts
 * it (a unique `_id` insert is exact on FerretDB; a compare-and-set update is not). Existing
 * sessions end (tokenVersion bump), as after any credential change.
 *
 * The claim's outcome is the user record: the password write stamps `passwordSetupDigest` with
 * this link's digest, in the same single-document write. A claim whose write failed (issue 22: the
 * claim was inserted, then the database write threw) would otherwise burn the link; so a redemption
 * that finds the claim taken still writes when, under the user's write lock, the user has no
 * password and none was set by this link. Every other case answers TOKEN_USED, and the lock makes
 * the check and the write one step, so concurrent redemptions still set the password once.
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
  const claimed = await recordPasswordEvent(models, {
    id: `password-setup:${digest}`,
    userId: doc.userId,
    tenantId: user.tenantId ?? null,
    action: 'user.password_set',
    via: 'welcome link',
    reason: 'set-password link from the welcome email',
    requestId: meta.requestId,
  });
  const write = { $set: { passwordHash, passwordSetupDigest: digest }, $inc: { tokenVersion: 1 } };
  const result = await updateUser(models, doc.userId, (current) => {
    if (current.passwordSetupDigest === digest) return null; // this link's password is set already
    if (!claimed && current.passwordHash) return null; // not the claim's lost write: used
    return write;
  });
  if (!result) return { ok: false, reason: 'INVALID_TOKEN' };
  if (result.after.passwordSetupDigest !== digest || result.before.passwordSetupDigest === digest)
    return { ok: false, reason: 'TOKEN_USED' };
  return { ok: true, userId: doc.userId };
}
