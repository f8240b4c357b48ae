import { claimOrganization } from '../../adapters/identity/claim-organization';
import { claimOrgInvitation, releaseOrgInvitation } from '../../adapters/identity/org-invitations';
import type { Models } from '../../adapters/models';
import type { RegistrationDetails } from '../../domain/contracts/onboarding.contract';
import { AppError, badRequest, conflict } from '../app-error';

/**
 * What `org_name` / `org_id` at registration mean (docs/onboarding.md):
 * - `org_name` creates a NEW organization, and the registrant becomes its administrator (staff role
 *   BANK_ADMIN). The organization is claimed here, before the onboarding starts, by an exact insert
 *   (adapters/identity/claim-organization.ts): of any number of concurrent registrations naming it,
 *   one creates it and the others answer 409 ORG_NAME_TAKEN. A name someone already holds is never
 *   joined by registering with it.
 * - `org_id` joins an existing organization as a retail member (never as staff), only with a live
 *   invitation code of that organization (`invitationCode`, made by its BANK_ADMIN with POST
 *   /api/v1/auth/invitations). Anything else — no code, unknown organization, another
 *   organization's code, a wrong, revoked, expired or used-up code — is one answer, 403
 *   ORG_INVITATION_REQUIRED, so ids do not leak. Staff join through their administrator.
 */
export async function organizationForRegistration(
  models: Pick<Models, 'Organization' | 'OrgInvitation' | 'User' | 'DocumentLock'>,
  body: { org_name?: string; org_id?: string; invitationCode?: string },
  userId: string,
  now: Date,
  unconfirmedLapseMs: number,
): Promise<{ org: RegistrationDetails['org']; release: () => Promise<void> }> {
  const nothing = async () => undefined;
  if (body.org_id) {
    const claim = body.invitationCode
      ? await claimOrgInvitation(models, body.invitationCode, body.org_id, userId, now)
      : false;
    if (!claim)
      throw new AppError(
        403,
        'ORG_INVITATION_REQUIRED',
        'Joining an existing organization needs a valid invitation code from its administrator',
      );
    const code = body.invitationCode!;
    return {
      org: { id: body.org_id },
      release: claim === 'claimed' ? () => releaseOrgInvitation(models, code, userId) : nothing,
    };
  }
  if (!body.org_name) return { org: null, release: nothing };
  // The caller refused requests that cannot win before this point; a retry finds its own claim.
  const claim = await claimOrganization(models, body.org_name, userId, { now, unconfirmedLapseMs });
  if (claim.ok) return { org: { id: claim.organizationId }, release: nothing };
  if (claim.reason === 'ORG_NAME_INVALID')
    throw badRequest('ORG_NAME_INVALID', 'org_name needs at least two letters or digits');
  throw conflict(
    'ORG_NAME_TAKEN',
    'An organization with this name already exists; choose another name, or ask its administrator to add you',
  );
}
