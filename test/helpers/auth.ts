import { randomUUID } from 'node:crypto';
import { createAccessTokens } from '../../services/api/auth/access-tokens';
import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';

/** Creates a user straight in the database and mints an access token for it. */
export async function userWithToken(models: Models, config: Config, fields: Partial<UserDoc> = {}) {
  const user = await models.User.create({
    email: `${randomUUID()}@example.test`,
    firstName: 'Ada',
    lastName: 'Obi',
    status: 'active',
    ...fields,
  });
  return { user, ...(await accessTokenFor(config, user)) };
}

/** An access token for an existing user, as login would mint it (without a stored session). */
export async function accessTokenFor(config: Config, user: Pick<UserDoc, '_id' | 'tenantId' | 'tokenVersion'>) {
  const { token } = await createAccessTokens(config).issue({
    userId: user._id,
    tenantId: user.tenantId ?? null,
    tokenVersion: user.tokenVersion,
    sessionId: randomUUID(),
  });
  return { token, headers: { authorization: `Bearer ${token}` } };
}
