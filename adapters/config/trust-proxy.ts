import { isIP } from 'node:net';

import { z } from 'zod';

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isAddressOrSubnet = (s: string) => {
  if (NAMED.has(s)) return true;
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || !isIP(ip)) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128));
};

/**
 * TRUST_PROXY: which peers may set X-Forwarded-For (Express `trust proxy`). Parsed here because
 * Express reads a string as an address list: `1` (meaning "one hop") would silently trust nothing
 * and `true` would crash at start-up. Accepted: a hop count (`1`), `false`/`none`, or a
 * comma-separated list of addresses, CIDR subnets and `loopback`/`linklocal`/`uniquelocal`.
 * `true` (trust every peer) is refused: any client could then choose its own address.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .default('loopback')
  .transform((v, ctx): number | false | string => {
    if (/^\d+$/.test(v)) return Number(v);
    if (v === 'false' || v === 'none') return false;
    const parts = v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = parts.filter((p) => !isAddressOrSubnet(p));
    if (!parts.length || bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a hop count, "none", or addresses/subnets/loopback/linklocal/uniquelocal (not: ${bad.join(', ') || v})`,
      });
      return z.NEVER;
    }
    return parts.join(',');
  });
