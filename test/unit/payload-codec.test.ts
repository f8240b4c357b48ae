import { defaultPayloadConverter } from '@temporalio/common';

import { parseKeyring } from '../../adapters/crypto/keyring';
import { createPayloadCodec } from '../../adapters/crypto/payload-codec';

const key = (n: number) => Buffer.alloc(32, n).toString('base64');

describe('payload codec (AES-256-GCM)', () => {
  const value = { bvn: '22200000001' };
  const payload = defaultPayloadConverter.toPayload(value);
  const values = (ps: Parameters<typeof defaultPayloadConverter.fromPayload>[0][]) =>
    ps.map((p) => defaultPayloadConverter.fromPayload(p));

  it('encrypts every payload and names the key in metadata', async () => {
    const codec = createPayloadCodec(parseKeyring(`k1:${key(1)}`, 32));
    const [sealed] = await codec.encode([payload]);
    expect(Buffer.from(sealed.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('22200000001');
    expect(values(await codec.decode([sealed]))).toEqual([value]);
  });

  it('keeps decoding after rotation and passes unencrypted payloads through', async () => {
    const [old] = await createPayloadCodec(parseKeyring(`k1:${key(1)}`, 32)).encode([payload]);
    const rotated = createPayloadCodec(parseKeyring(`k2:${key(2)},k1:${key(1)}`, 32));
    expect(values(await rotated.decode([old, payload]))).toEqual([value, value]);
    const [fresh] = await rotated.encode([payload]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('k2');
  });

  it('refuses tampered data', async () => {
    const codec = createPayloadCodec(parseKeyring(`k1:${key(1)}`, 32));
    const [sealed] = await codec.encode([payload]);
    sealed.data![20] ^= 1;
    await expect(codec.decode([sealed])).rejects.toThrow();
  });
});
