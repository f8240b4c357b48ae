import { createHash, randomBytes } from 'node:crypto';

import type { Models } from '../models';

/** Scopes a service token can carry; a route names the ones it needs. */
export const SERVICE_SCOPES = [
  'notifications:send',
  'notifications:read',
  'verification-requests:create',
  'transactions:write',
] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/** Service tokens are recognisable (and greppable in leaked logs) by their prefix. */
export const SERVICE_TOKEN_PREFIX = 'svc_';

/** The token is 32 random bytes, so a fast hash is enough: nothing to brute-force. */
export const hashServiceToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createServiceToken(
  models: Pick<Models, 'ServiceToken'>,
  input: { name: string; scopes: string[] },
) {
  const token = `${SERVICE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const doc = await models.ServiceToken.create({
    name: input.name,
    scopes: input.scopes,
    tokenHash: hashServiceToken(token),
  });
  return { token, id: doc._id };
}
