import { ActivityFailures } from '../../domain/failures/catalog';
import type { Config } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { veriffSignature } from '../../adapters/providers/veriff-signature';
import type { BridgeLinkResult, KycSessionResult } from '../../domain/contracts/onboarding.contract';
import { postProviderJson } from './provider-http';

export interface KycActivityDeps {
  config: Pick<Config, 'BRIDGE_API_KEY' | 'BRIDGE_BASE_URL' | 'SANDBOX_URL' | 'VERIFF_API_KEY' | 'VERIFF_BASE_URL' | 'VERIFF_SHARED_SECRET'>;
  models: Pick<Models, 'User'>;
}

interface VeriffSessionResponse {
  status: string;
  verification: { id: string; url: string; vendorData?: string; status?: string };
}

interface BridgeKycLinkResponse {
  id: string;
  kyc_link: string;
  tos_link: string;
  customer_id: string;
  kyc_status: string;
  tos_status: string;
}

/** Veriff and Bridge adapters on the kyc worker; base URLs and keys come from config only. */
export function createKycActivities({ config, models }: KycActivityDeps) {
  const veriffBase = config.VERIFF_BASE_URL ?? `${config.SANDBOX_URL}/veriff`;
  const bridgeBase = config.BRIDGE_BASE_URL ?? `${config.SANDBOX_URL}/bridge/v0`;
  return {
    /** POST /v1/sessions with vendorData = our user id (how webhooks find their workflow). */
    async createVeriffSession(input: { userId: string }): Promise<KycSessionResult> {
      // The person's name pre-fills Veriff's flow (and lets the sandbox page show whose session it is).
      const user = await models.User.findById(input.userId, { firstName: 1, lastName: 1 }).lean();
      const person = user?.firstName || user?.lastName ? { person: { firstName: user.firstName ?? '', lastName: user.lastName ?? '' } } : {};
      const body = JSON.stringify({ verification: { vendorData: input.userId, endUserId: input.userId, ...person } });
      const res = await postProviderJson<VeriffSessionResponse>(
        'veriff',
        `${veriffBase}/v1/sessions`,
        { 'X-AUTH-CLIENT': config.VERIFF_API_KEY, 'X-HMAC-SIGNATURE': veriffSignature(config.VERIFF_SHARED_SECRET, body) },
        body,
      );
      return { sessionId: res.verification.id, url: res.verification.url };
    },

    /** POST /v0/kyc_links; the Idempotency-Key makes a retried call return the same link. */
    async createBridgeKycLink(input: { userId: string; idempotencyKey: string }): Promise<BridgeLinkResult> {
      const user = await models.User.findById(input.userId, { email: 1, firstName: 1, lastName: 1 }).lean();
      if (!user) throw ActivityFailures.create('NOT_FOUND', 'user not found');
      const body = JSON.stringify({ type: 'individual', full_name: `${user.firstName} ${user.lastName}`.trim(), email: user.email });
      const res = await postProviderJson<BridgeKycLinkResponse>(
        'bridge',
        `${bridgeBase}/kyc_links`,
        { 'Api-Key': config.BRIDGE_API_KEY, 'Idempotency-Key': input.idempotencyKey },
        body,
      );
      return { kycLinkId: res.id, kycLink: res.kyc_link, tosLink: res.tos_link, customerId: res.customer_id };
    },
  };
}

export type KycActivities = ReturnType<typeof createKycActivities>;
