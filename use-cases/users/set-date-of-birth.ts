import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import { openDateOfBirth, sealDateOfBirth } from '../../adapters/identity/date-of-birth';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { updateUser } from '../../adapters/models/user-writes';
import { conflict } from '../app-error';

/**
 * Sets (or changes) a user's date of birth, sealed, with an audit event that never holds the date
 * itself. Refused with 409 DATE_OF_BIRTH_LOCKED once an identity check verified the current one.
 */
export async function setDateOfBirth(
  models: Pick<Models, 'User' | 'DocumentLock' | 'AuditEvent'>,
  cipher: FieldCipher,
  user: Pick<UserDoc, '_id' | 'tenantId' | 'dateOfBirthSealed' | 'dateOfBirthVerifiedAt'>,
  isoDate: string,
  audit: { actorId: string; requestId: string | null; reason: string },
): Promise<void> {
  const previous = user.dateOfBirthSealed
    ? openDateOfBirth(cipher, { _id: user._id, dateOfBirthSealed: user.dateOfBirthSealed })
    : null;
  if (previous === isoDate) return; // unchanged (a retried request): nothing to write or audit
  const locked = () =>
    conflict(
      'DATE_OF_BIRTH_LOCKED',
      'Your date of birth was verified by an identity check and can no longer be changed; contact support',
    );
  if (user.dateOfBirthVerifiedAt) throw locked();
  // Checked again on the locked record: an identity check may have verified it meanwhile.
  await updateUser(models, user._id, (current) => {
    if (current.dateOfBirthVerifiedAt) throw locked();
    return { $set: { dateOfBirthSealed: sealDateOfBirth(cipher, user._id, isoDate) } };
  });
  await models.AuditEvent.create({
    actor: audit.actorId,
    subject: user._id,
    tenantId: user.tenantId ?? null,
    action: 'user.date_of_birth_changed',
    from: { provided: previous !== null },
    to: { provided: true },
    reason: audit.reason,
    requestId: audit.requestId,
  });
}
