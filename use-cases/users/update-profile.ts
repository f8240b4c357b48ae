import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { FieldCipher } from '../../adapters/crypto/field-cipher';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { updateUser } from '../../adapters/models/user-writes';
import type { IdType } from '../../domain/vocabulary/users';
import { notFound } from '../app-error';
import { setDateOfBirth } from './set-date-of-birth';

/** The profile fields a user record may change through PUT /users/{userId} (seed 000). */
export interface ProfileChange {
  firstName?: string;
  lastName?: string;
  phone?: string | null;
  dateOfBirth?: string;
  address?: Record<string, unknown> | null;
  idDocuments?: { type: IdType; number: string; issuingCountry?: string; expiresOn?: string }[];
}

/**
 * Writes profile fields of a user the caller may edit (checked by the caller). The date of birth is
 * sealed and audited on its own (locked once an identity check verified it); ID document numbers are
 * sealed and bound to this user, only their last 3 characters stay readable.
 */
export async function updateProfile(
  deps: { models: Models; cipher: FieldCipher },
  by: { userId: string; requestId: string | null },
  user: Pick<UserDoc, '_id' | 'tenantId' | 'dateOfBirthSealed' | 'dateOfBirthVerifiedAt'>,
  change: ProfileChange,
): Promise<UserDoc> {
  const { models, cipher } = deps;
  const { idDocuments, dateOfBirth, ...plain } = change;
  if (dateOfBirth !== undefined) {
    await setDateOfBirth(models, cipher, user, dateOfBirth, {
      actorId: by.userId,
      requestId: by.requestId,
      reason: 'profile update',
    });
  }
  const set: Record<string, unknown> = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  if (idDocuments) {
    set.idDocuments = idDocuments.map((d) => ({
      type: d.type,
      numberSealed: cipher.encrypt(d.number, `${user._id}:idDocument`),
      numberLast3: d.number.slice(-3),
      issuingCountry: d.issuingCountry,
      expiresOn: d.expiresOn,
    }));
  }
  const written = await updateUser(models, user._id, { $set: set }, { runValidators: true });
  if (!written) throw notFound('User');
  if ('country' in set) await noteAnalyticsChange(models, 'user', user._id);
  return written.after;
}
