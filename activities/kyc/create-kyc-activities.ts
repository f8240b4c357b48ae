import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { createBridgeKycLink } from '../../adapters/providers/bridge/client';
import { createVeriffSession } from '../../adapters/providers/veriff/client';
import type { BridgeLinkResult, KycSessionResult } from '../../domain/contracts/onboarding.contract';
import { ActivityFailures } from '../../domain/failures/catalog';

export interface KycActivityDeps {
  config: Pick<
    Config,
    'BRIDGE_API_KEY' | 'BRIDGE_BASE_URL' | 'SANDBOX_URL' | 'VERIFF_API_KEY' | 'VERIFF_BASE_URL' | 'VERIFF_SHARED_SECRET'
  >;
  models: Pick<Models, 'User'>;
}

/** Veriff and Bridge on the kyc worker; the wire shapes live in adapters/providers/{veriff,bridge}. */
export function createKycActivities({ config, models }: KycActivityDeps) {
  const veriff = {
    baseUrl: config.VERIFF_BASE_URL ?? `${config.SANDBOX_URL}/veriff`,
    apiKey: config.VERIFF_API_KEY,
    sharedSecret: config.VERIFF_SHARED_SECRET,
  };
  const bridge = {
    baseUrl: config.BRIDGE_BASE_URL ?? `${config.SANDBOX_URL}/bridge/v0`,
    apiKey: config.BRIDGE_API_KEY,
  };
  return {
    /** A Veriff session whose vendorData is our user id (how webhooks find their workflow). */
    async createVeriffSession(input: { userId: string }): Promise<KycSessionResult> {
      // The person's name pre-fills Veriff's flow (and lets the sandbox page show whose session it is).
      const user = await models.User.findById(input.userId, { firstName: 1, lastName: 1 }).lean();
      const person =
        user?.firstName || user?.lastName ? { firstName: user.firstName ?? '', lastName: user.lastName ?? '' } : null;
      return createVeriffSession(veriff, { userId: input.userId, person });
    },

    /** A Bridge KYC link; the idempotency key makes a retried call return the same link. */
    async createBridgeKycLink(input: { userId: string; idempotencyKey: string }): Promise<BridgeLinkResult> {
      const user = await models.User.findById(input.userId, { email: 1, firstName: 1, lastName: 1 }).lean();
      if (!user) throw ActivityFailures.create('NOT_FOUND', 'user not found');
      return createBridgeKycLink(bridge, {
        fullName: `${user.firstName} ${user.lastName}`.trim(),
        email: user.email,
        idempotencyKey: input.idempotencyKey,
      });
    },
  };
}

export type KycActivities = ReturnType<typeof createKycActivities>;
