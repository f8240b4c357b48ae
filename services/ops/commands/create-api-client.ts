import { newOpaqueToken, tokenDigest } from '../../../adapters/crypto/token-digest';
import { type OpsCommand, requireArg } from '../command';

/** A partner API client for a tenant. The client id is printed once; only its digest is stored. */
export const createApiClient: OpsCommand = {
  usage: '--tenant <slug> --name <name> [--enable-user-tokens] [--enable-partner-kyc]',
  options: {
    tenant: { type: 'string' },
    name: { type: 'string' },
    'enable-user-tokens': { type: 'boolean' },
    'enable-partner-kyc': { type: 'boolean' },
  },
  async run({ models, args }) {
    const slug = requireArg(args, 'tenant').toLowerCase();
    const name = requireArg(args, 'name');
    const org = await models.Organization.findOne({ slug }).lean();
    if (!org) throw new Error(`no tenant with slug "${slug}"`);
    const clientId = newOpaqueToken('ck');
    const client = await models.ApiClient.create({
      tenantId: org._id,
      name,
      keyHash: tokenDigest(clientId),
      keyPrefix: clientId.slice(0, 10),
      userTokensEnabled: Boolean(args['enable-user-tokens']),
      partnerKycEnabled: Boolean(args['enable-partner-kyc']),
    });
    return [
      `api client ${client._id} for tenant ${org.slug} (user tokens ${client.userTokensEnabled ? 'enabled' : 'disabled'}, partner KYC ${client.partnerKycEnabled ? 'enabled' : 'disabled'})`,
      `x-client-id: ${clientId}`,
      'Store it now: it is not shown again.',
    ].join('\n');
  },
};
