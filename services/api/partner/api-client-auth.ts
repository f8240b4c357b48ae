import type { RequestHandler, Response } from 'express';

import { tokenDigest } from '../../../adapters/crypto/token-digest';
import type { Models } from '../../../adapters/models';
import { unauthorized } from '../http/app-error';

export interface ApiClientContext {
  clientId: string;
  tenantId: string;
  userTokensEnabled: boolean;
  partnerKycEnabled: boolean;
}

/** Partner calls (seed 003): `x-client-id` is a secret; it is looked up by its SHA-256 digest. */
export function requireApiClient(models: Pick<Models, 'ApiClient'>): RequestHandler {
  return async (req, res, next) => {
    try {
      const presented = req.get('x-client-id')?.trim();
      const client =
        presented && presented.length <= 200
          ? await models.ApiClient.findOne({ keyHash: tokenDigest(presented) }).lean()
          : null;
      if (!client || client.disabledAt)
        return next(unauthorized('A valid x-client-id header is required', 'INVALID_CLIENT'));
      res.locals.apiClient = {
        clientId: client._id,
        tenantId: client.tenantId,
        userTokensEnabled: client.userTokensEnabled,
        partnerKycEnabled: client.partnerKycEnabled ?? false,
      } satisfies ApiClientContext;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function getApiClient(res: Response): ApiClientContext {
  const client = res.locals.apiClient as ApiClientContext | undefined;
  if (!client) throw unauthorized('A valid x-client-id header is required', 'INVALID_CLIENT');
  return client;
}
