import type { Config } from '../../adapters/config';
import { createServiceToken } from '../../adapters/identity/service-tokens';
import type { Models } from '../../adapters/models';
import { createApiClient } from '../../services/ops/commands/create-api-client';
import { createTenant } from '../../services/ops/commands/create-tenant';

/** Test images: base64 JPEG headers; the sandbox rejects a selfie containing SANDBOX-REJECT. */
export const jpeg = (marker = '') =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`sandbox test image ${marker}`)]).toString(
    'base64',
  );
export const imagesFor = (selfieMarker = '') => [
  { image_type_id: 2, image: jpeg(selfieMarker) },
  { image_type_id: 3, image: jpeg('front') },
];

/** A tenant with a partner client (partner KYC + user tokens on), a disabled client and a service token. */
export async function partnerTenant(deps: { config: Config; models: Models }, name: string) {
  const ctx = { config: deps.config, models: deps.models };
  await createTenant.run({
    ...ctx,
    args: {
      name,
      'admin-email': `admin@${name.toLowerCase().replace(/\W+/g, '-')}.test`,
      'admin-password': 'SecurePass123!',
    },
  });
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  const keyOf = (out: string) => /x-client-id: (\S+)/.exec(out)![1];
  const key = keyOf(
    await createApiClient.run({
      ...ctx,
      args: { tenant: slug, name: 'wallet', 'enable-user-tokens': true, 'enable-partner-kyc': true },
    }),
  );
  const disabledKey = keyOf(
    await createApiClient.run({ ...ctx, args: { tenant: slug, name: 'tokens only', 'enable-user-tokens': true } }),
  );
  const tenantId = (await deps.models.Organization.findOne({ slug }).lean())!._id as string;
  const service = await createServiceToken(deps.models, { name: `core-${slug}`, scopes: ['transactions:write'] });
  return { key, disabledKey, tenantId, serviceToken: service.token };
}
