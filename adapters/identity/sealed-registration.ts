import type { RegistrationDetails } from '../../domain/contracts/onboarding.contract';
import type { FieldCipher } from '../crypto/field-cipher';

/**
 * The registration details (names, email, phone, country, organization, the argon2id hash) sealed
 * with the PII field cipher for their one trip API → onboarding run → its first activity, in the
 * workflow input and the register update (issue 23: no database row to insert, read and delete).
 * The run holds an opaque string: workflow code never sees the details, and the history keeps
 * only ciphertext even when its payloads are decoded (the payload codec is a second layer, for
 * everything). The AAD binds the value to its user and request, so a sealed registration copied to
 * another run or request does not open.
 */
const aad = (userId: string, requestFingerprint: string) => `registration:${userId}:${requestFingerprint}`;

export function sealRegistration(
  cipher: FieldCipher,
  userId: string,
  requestFingerprint: string,
  details: RegistrationDetails,
): string {
  return cipher.encrypt(JSON.stringify(details), aad(userId, requestFingerprint));
}

export function openRegistration(
  cipher: FieldCipher,
  userId: string,
  requestFingerprint: string,
  sealed: string,
): RegistrationDetails {
  return JSON.parse(cipher.decrypt(sealed, aad(userId, requestFingerprint))) as RegistrationDetails;
}
