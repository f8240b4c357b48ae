import type { FieldCipher } from '../crypto/field-cipher';

// A date of birth is PII: stored only sealed with the field cipher, bound to its user (the AAD),
// so a value copied onto another user does not decrypt.
const aad = (userId: string) => `${userId}:dateOfBirth`;

export const sealDateOfBirth = (cipher: FieldCipher, userId: string, isoDate: string) =>
  cipher.encrypt(isoDate, aad(userId));

export function openDateOfBirth(
  cipher: FieldCipher,
  user: { _id: string; dateOfBirthSealed?: string | null },
): string | null {
  return user.dateOfBirthSealed ? cipher.decrypt(user.dateOfBirthSealed, aad(user._id)) : null;
}
