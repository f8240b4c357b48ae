import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

import { aesKey, type Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ProtoPayload = temporal.api.common.v1.Payload;
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * Temporal PayloadCodec: every payload (inputs, results, signals, memos) is serialized and sealed
 * with AES-256-GCM before it leaves the process; the key id travels in the payload metadata, so
 * old histories keep decoding after a key rotation. Payloads that are not ours pass through.
 * Data layout: iv(12) | ciphertext | tag(16).
 */
export function createPayloadCodec(keyring: Keyring): PayloadCodec {
  const key = (kid: string) => aesKey(keyring, kid);
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key(keyring.activeKid), iv);
        const plain = ProtoPayload.encode(payload).finish();
        const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return {
          metadata: { encoding: enc.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: enc.encode(keyring.activeKid) },
          data: new Uint8Array(data),
        };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => {
        const encoding = payload.metadata?.encoding;
        if (!encoding || dec.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
        const kidBytes = payload.metadata?.[KEY_ID_METADATA];
        if (!kidBytes || !payload.data) throw new Error('encrypted payload without key id or data');
        const data = Buffer.from(payload.data);
        const decipher = createDecipheriv('aes-256-gcm', key(dec.decode(kidBytes)), data.subarray(0, 12));
        decipher.setAuthTag(data.subarray(data.length - 16));
        const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
        return ProtoPayload.decode(plain) as Payload;
      });
    },
  };
}
