import { randomUUID } from 'node:crypto';

import type { Config } from '../../adapters/config';
import { createLogger } from '../../adapters/logger';
import type { Models } from '../../adapters/models';
import type { UserDoc } from '../../adapters/models/user';
import { createAccessTokens } from '../../services/api/auth/access-tokens';
import { createSessions } from '../../services/api/auth/sessions';

/** Creates a user straight in the database and signs it in (a real session, as login starts one). */
export async function userWithToken(models: Models, config: Config, fields: Partial<UserDoc> = {}) {
  const user = await models.User.create({
    email: `${randomUUID()}@example.test`,
    firstName: 'Ada',
    lastName: 'Obi',
    status: 'active',
    ...fields,
  });
  return { user, ...(await accessTokenFor(models, config, user)) };
}

/**
 * An access token for an existing user, minted by the sessions module exactly as login does:
 * the API only accepts tokens whose session record exists.
 */
export async function accessTokenFor(
  models: Models,
  config: Config,
  user: Pick<UserDoc, '_id' | 'tenantId' | 'tokenVersion'>,
) {
  const sessions = createSessions({
    models,
    config,
    accessTokens: createAccessTokens(config),
    logger: createLogger({ level: 'silent', name: 'test' }),
  });
  const { accessToken: token } = await sessions.start(
    { _id: user._id, tenantId: user.tenantId ?? null, tokenVersion: user.tokenVersion },
    'test',
  );
  return { token, headers: { authorization: `Bearer ${token}` } };
}
