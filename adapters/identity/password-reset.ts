import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

import type { Config } from '../config';
import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';
import { insertNextSlot } from '../models/slots';
import { updateUser } from '../models/user-writes';
import { findUserByEmail } from './find-user-by-email';
import { recordPasswordEvent } from './password-audit';

type Keys = Pick<Config, 'PII_ENCRYPTION_KEYS'>;

/**
 * Who may recover a password by email: an account that has one (retail users, staff, operators)
 * and is not deactivated. Deactivated users stay cut off (an administrator reactivates them);
 * accounts without a password (staff who have not used their welcome link yet, partner-created end
 * users) get nothing: they never signed in with a password. `rejected` and unconfirmed accounts may
 * reset: the code proves the mailbox, and sign-in still applies its own rules afterwards.
 */
export const canRecoverPassword = (user: { passwordHash?: string | null; status?: string | null }) =>
  Boolean(user.passwordHash) && user.status !== 'inactive';

/**
 * Keyed digest of a reset code, bound to its user and to the code's id, under a subkey of PII key
 * `kid`: a 6-digit code has 20 bits, so a plain hash would be reversed instantly from a database
 * copy. Null when `kid` is no longer in the keyring (the code is then simply invalid).
 */
function codeDigest(config: Keys, kid: string, userId: string, codeId: string, code: string): string | null {
  const key = config.PII_ENCRYPTION_KEYS.keys.get(kid);
  if (!key) return null;
  const subkey = createHmac('sha256', key).update('password-reset:code').digest();
  return createHmac('sha256', subkey).update(`${userId}:${codeId}:${code}`).digest('hex');
}

/**
 * A new 6-digit code for `userId`, replacing any earlier one (only the newest code works). Called
 * by the notifications worker inside the email send, so the plaintext exists only there and in the
 * email; a retried send that reaches the provider again mints again, and the older email's code
 * stops working. Only the keyed digest is stored.
 */
export async function mintPasswordResetCode(
  models: Pick<Models, 'PasswordResetCode'>,
  config: Keys & Pick<Config, 'PASSWORD_RESET_CODE_TTL_MINUTES'>,
  input: { userId: string; notificationId: string },
  now = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const codeId = randomUUID();
  const kid = config.PII_ENCRYPTION_KEYS.activeKid;
  const expiresAt = new Date(now.getTime() + config.PASSWORD_RESET_CODE_TTL_MINUTES * 60_000);
  const doc = {
    codeId,
    digest: codeDigest(config, kid, input.userId, codeId, code)!,
    kid,
    notificationId: input.notificationId,
    createdAt: now,
    expiresAt,
  };
  // A whole-document replace by `_id`; two racing first inserts meet a duplicate key, then replace.
  for (let attempt = 1; ; attempt++) {
    try {
      await models.PasswordResetCode.replaceOne({ _id: input.userId }, doc, { upsert: true });
      return { code, expiresAt };
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
    }
  }
}

export type ResetResult = { ok: true; userId: string; tenantId: string | null; codeId: string } | { ok: false };

/**
 * Sets a new password with an emailed code. Every failure is the same `{ok: false}` (unknown
 * email, no code, expired, wrong, burnt, used), so the answer reveals nothing about the account.
 *  - Attempts: each check of a code first claims one of its `maxAttempts` slots (`rateLimitSlots`
 *    `password-reset-attempt:<codeId>#n`, a unique insert), so however many guesses arrive at once,
 *    at most `maxAttempts` are evaluated; a wrong guess keeps its slot, and once all are taken the
 *    code is burnt (a new one takes POST /users/password/forgot).
 *  - Single use: the audit event `password-reset:<codeId>` is inserted before the password is
 *    written; of concurrent redemptions exactly one inserts it.
 *  - The password write bumps `tokenVersion`: every access token and every refresh-token session
 *    of the user stops working (sessions compare their tokenVersion on refresh).
 */
export async function redeemPasswordResetCode(
  models: Pick<Models, 'User' | 'DocumentLock' | 'PasswordResetCode' | 'RateLimitSlot' | 'AuditEvent'>,
  config: Keys & Pick<Config, 'PASSWORD_RESET_MAX_ATTEMPTS'>,
  input: { email: string; code: string; passwordHash: string; requestId: string | null },
  now = new Date(),
): Promise<ResetResult> {
  const user = await findUserByEmail(models, config, input.email, { _id: 1, status: 1, tenantId: 1, passwordHash: 1 });
  if (!user || !canRecoverPassword(user)) return { ok: false };
  const doc = await models.PasswordResetCode.findById(user._id).lean();
  if (!doc || doc.expiresAt.getTime() <= now.getTime()) return { ok: false };
  const prefix = `password-reset-attempt:${doc.codeId}`;
  const max = config.PASSWORD_RESET_MAX_ATTEMPTS;
  const slot = await insertNextSlot(models.RateLimitSlot, prefix, {
    from: 1,
    max,
    fields: { window: prefix, expiresAt: doc.expiresAt },
  });
  if (slot > max) return { ok: false };
  const expected = codeDigest(config, doc.kid, user._id, doc.codeId, input.code);
  if (!expected || !timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(doc.digest, 'hex'))) return { ok: false };
  const claimed = await recordPasswordEvent(models, {
    id: `password-reset:${doc.codeId}`,
    at: now,
    userId: user._id,
    tenantId: user.tenantId ?? null,
    action: 'user.password_reset',
    via: 'emailed code',
    reason: 'password reset with the code from POST /users/password/forgot',
    requestId: input.requestId,
  });
  if (!claimed) return { ok: false };
  await updateUser(models, user._id, { $set: { passwordHash: input.passwordHash }, $inc: { tokenVersion: 1 } });
  await models.PasswordResetCode.deleteOne({ _id: user._id, codeId: doc.codeId });
  return { ok: true, userId: user._id, tenantId: user.tenantId ?? null, codeId: doc.codeId };
}
