import { postProviderJson } from '../provider-http';
import { BRIDGE_HEADERS, BRIDGE_PATHS, type BridgeKycLink, type BridgeKycLinkRequest } from './wire';

export interface BridgeCredentials {
  /** Up to and including `/v0`. */
  baseUrl: string;
  apiKey: string;
}

/** `POST /v0/kyc_links`; the Idempotency-Key makes a retried call return the same link. */
export async function createBridgeKycLink(
  creds: BridgeCredentials,
  input: { fullName: string; email: string; idempotencyKey: string },
): Promise<{ kycLinkId: string; kycLink: string; tosLink: string; customerId: string }> {
  const request: BridgeKycLinkRequest = { type: 'individual', full_name: input.fullName, email: input.email };
  const res = await postProviderJson<BridgeKycLink>(
    'bridge',
    `${creds.baseUrl.replace(/\/$/, '')}${BRIDGE_PATHS.kycLinks}`,
    { [BRIDGE_HEADERS.apiKey]: creds.apiKey, [BRIDGE_HEADERS.idempotencyKey]: input.idempotencyKey },
    JSON.stringify(request),
  );
  return { kycLinkId: res.id, kycLink: res.kyc_link, tosLink: res.tos_link, customerId: res.customer_id };
}
