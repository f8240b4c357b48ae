import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { aesKey, type Keyring } from './keyring';

/**
 * Application-level AES-256-GCM for PII at rest (BVN/NIN, ID document numbers). Output is
 * `v1.<kid>.<iv>.<ciphertext+tag>` (base64url), so a stored value names the key that sealed it
 * and old keys keep decrypting after rotation. `aad` binds a value to its place (e.g. the
 * record id), so a ciphertext copied to another record does not decrypt.
 */
export interface FieldCipher {
  encrypt(plaintext: string, aad?: string): string;
  decrypt(sealed: string, aad?: string): string;
  /** Whether `sealed` was made with an older key and should be re-encrypted. */
  needsRotation(sealed: string): boolean;
}

export function createFieldCipher(keyring: Keyring): FieldCipher {
  const key = (kid: string) => aesKey(keyring, kid);
  return {
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key(keyring.activeKid), iv);
      if (aad) cipher.setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return ['v1', keyring.activeKid, iv.toString('base64url'), body.toString('base64url')].join('.');
    },
    decrypt(sealed, aad) {
      const [version, kid, ivText, bodyText] = sealed.split('.');
      if (version !== 'v1' || !kid || !ivText || !bodyText) throw new Error('not a sealed value');
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key(kid), Buffer.from(ivText, 'base64url'));
      if (aad) decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    needsRotation(sealed) {
      return sealed.split('.')[1] !== keyring.activeKid;
    },
  };
}
