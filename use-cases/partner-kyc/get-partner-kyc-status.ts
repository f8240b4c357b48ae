import type { Models } from '../../adapters/models';
import { catalogFor, kycStatusView } from './partner-kyc-state';
import { findOrCreatePartnerUser, type PartnerClient } from './partner-users';

/**
 * Seed 003 status: the user of this email in the client's tenant (created when absent, audited),
 * the tier they passed, the latest outcome, and their country's catalog and tier rules.
 */
export async function getPartnerKycStatus(
  deps: { models: Models; now: () => Date },
  client: PartnerClient,
  who: { email: string; countryIsoCode: string },
  audit: { requestId: string | null },
): Promise<Awaited<ReturnType<typeof kycStatusView>>> {
  const catalog = await catalogFor(deps.models, who.countryIsoCode);
  const user = await findOrCreatePartnerUser(deps.models, client, {
    email: who.email,
    country: who.countryIsoCode,
    requestId: audit.requestId,
    reason: 'POST /api/user/kyc/status',
  });
  return kycStatusView(deps.models, user, catalog, deps.now());
}
