import type { CleanValue } from '../../domain/partner-kyc/fields';
import type { FieldCipher } from '../crypto/field-cipher';

/** A submission's fields sealed as one value, bound (AAD) to the submission id. */
export const sealFields = (cipher: FieldCipher, submissionId: string, values: Record<string, CleanValue>) =>
  cipher.encrypt(JSON.stringify(values), `partner-kyc:${submissionId}`);

export const openFields = (cipher: FieldCipher, submissionId: string, sealed: string) =>
  JSON.parse(cipher.decrypt(sealed, `partner-kyc:${submissionId}`)) as Record<string, CleanValue>;
