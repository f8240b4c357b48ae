// A keyring is `kid:base64key[,kid:base64key…]`; the first key is active (used to encrypt or
// sign), the others are still accepted so keys can be rotated without downtime.
export interface Keyring {
  activeKid: string;
  keys: ReadonlyMap<string, Buffer>;
}

export function parseKeyring(value: string, minBytes: number): Keyring {
  const keys = new Map<string, Buffer>();
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const idx = part.indexOf(':');
    if (idx <= 0) throw new Error('expected kid:base64key entries separated by commas');
    const kid = part.slice(0, idx);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid)) throw new Error('key ids are 1-32 letters, digits, - or _');
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (key.length < minBytes) throw new Error(`key ${kid} must decode to at least ${minBytes} bytes`);
    if (keys.has(kid)) throw new Error(`duplicate key id ${kid}`);
    keys.set(kid, key);
  }
  const activeKid = keys.keys().next().value;
  if (!activeKid) throw new Error('at least one key is required');
  return { activeKid, keys };
}

/** The 32-byte AES-256 key for `kid`; an unknown id (a value sealed with a retired key) throws. */
export function aesKey(keyring: Keyring, kid: string): Buffer {
  const k = keyring.keys.get(kid);
  if (!k) throw new Error(`unknown encryption key id ${kid}`);
  return k.subarray(0, 32);
}
