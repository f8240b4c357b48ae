import { randomUUID } from 'node:crypto';

import type { PasswordHasher } from '../../adapters/crypto/passwords';
import { recordPasswordEvent } from '../../adapters/identity/password-audit';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { updateUser } from '../../adapters/models/user-writes';
import { AppError, badRequest } from '../app-error';
import { type PasswordNoticeDeps, sendPasswordChanged } from './password-notices';

/** The sign-in pieces a password change uses (services/api/auth: the account lockout and the sessions). */
export interface PasswordChangeAuth<Pair> {
  passwords: Pick<PasswordHasher, 'hash' | 'verify'>;
  /** Counts a guess of the current password against the account's sign-in lockout (429 ACCOUNT_LOCKED). */
  lockout: {
    reserveGuess(email: string): Promise<{ slotId: string }>;
    succeeded(guess: { slotId: string }): Promise<unknown>;
  };
  sessions: {
    revoke(sessionId: string, reason: string): Promise<unknown>;
    start(user: { _id: string; tenantId: string | null; tokenVersion: number }, origin: string): Promise<Pair>;
  };
}

const tokenRevoked = () => new AppError(401, 'TOKEN_REVOKED', 'This token is no longer valid');

/**
 * A signed-in user changes their password. The current password is checked like a sign-in (same
 * lockout); the change is a compare-and-set on what was verified, so a password changed meanwhile
 * (another session, a reset) wins and this one answers 401 TOKEN_REVOKED. It bumps the token version,
 * which ends every session; the caller's session is marked too and the caller gets a new token pair.
 * Audited (`user.password_changed`) and followed by the "password changed" email.
 */
export async function changePassword<Pair>(
  deps: PasswordNoticeDeps & { models: Models } & PasswordChangeAuth<Pair>,
  caller: { userId: string; sessionId: string; requestId: string | null },
  input: { currentPassword: string; newPassword: string },
): Promise<Pair> {
  const { models } = deps;
  const user = (await models.User.findById(caller.userId, {
    email: 1,
    passwordHash: 1,
    tokenVersion: 1,
    tenantId: 1,
  }).lean()) as UserDoc | null;
  if (!user) throw tokenRevoked();
  const guess = await deps.lockout.reserveGuess(user.email);
  // No password (a partner-created user, staff before the welcome link) costs a dummy verify and fails.
  if (!(await deps.passwords.verify(user.passwordHash, input.currentPassword))) {
    throw badRequest('INVALID_CURRENT_PASSWORD', 'The current password is incorrect');
  }
  await deps.lockout.succeeded(guess);
  if (input.newPassword === input.currentPassword)
    throw badRequest('PASSWORD_UNCHANGED', 'The new password must differ from the current one');
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const written = await updateUser(models, user._id, (current) =>
    current.passwordHash === user.passwordHash &&
    current.tokenVersion === user.tokenVersion &&
    current.status !== 'inactive'
      ? { $set: { passwordHash }, $inc: { tokenVersion: 1 } }
      : null,
  );
  if (!written || written.after.passwordHash !== passwordHash) throw tokenRevoked();
  const auditId = randomUUID();
  await recordPasswordEvent(models, {
    id: auditId,
    userId: user._id,
    tenantId: user.tenantId ?? null,
    action: 'user.password_changed',
    via: 'current password',
    reason: 'password changed by the signed-in user',
    requestId: caller.requestId,
  });
  await deps.sessions.revoke(caller.sessionId, 'password_changed');
  const pair = await deps.sessions.start(
    { _id: user._id, tenantId: user.tenantId ?? null, tokenVersion: written.after.tokenVersion },
    'password',
  );
  await sendPasswordChanged(deps, user._id, `password-changed-${auditId}`, caller.requestId);
  return pair;
}
