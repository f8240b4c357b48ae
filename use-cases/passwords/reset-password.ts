import type { ProcessConfig } from '../../adapters/config';
import type { PasswordHasher } from '../../adapters/crypto/passwords';
import { redeemPasswordResetCode } from '../../adapters/identity/password-reset';
import type { Models } from '../../adapters/models';
import { badRequest } from '../app-error';
import { type PasswordNoticeDeps, sendPasswordChanged } from './password-notices';

export type ResetPasswordDeps = PasswordNoticeDeps & {
  config: ProcessConfig<'api'>;
  models: Models;
  passwords: Pick<PasswordHasher, 'hash'>;
  now: () => Date;
};

/**
 * Sets a new password with the emailed code (single use, newest only, burnt after too many wrong
 * tries; adapters/identity/password-reset.ts), which ends every session of the account and is
 * audited there; then the "password changed" email. Every failure is the same 400 INVALID_CODE.
 */
export async function resetPassword(
  deps: ResetPasswordDeps,
  input: { email: string; code: string; newPassword: string },
  audit: { requestId: string | null },
): Promise<void> {
  // Hashed before anything is looked up: every answer costs the same argon2 work.
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const result = await redeemPasswordResetCode(
    deps.models,
    deps.config,
    { email: input.email, code: input.code, passwordHash, requestId: audit.requestId },
    deps.now(),
  );
  if (!result.ok) {
    throw badRequest(
      'INVALID_CODE',
      'This code is not valid: it is wrong, expired, already used or replaced by a newer one. ' +
        'Ask for a new one with POST /users/password/forgot',
    );
  }
  await sendPasswordChanged(deps, result.userId, `password-changed-${result.codeId}`, audit.requestId);
}
