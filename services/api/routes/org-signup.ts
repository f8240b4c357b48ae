import { claimOrganization } from '../../../adapters/identity/claim-organization';
import type { Models } from '../../../adapters/models';
import type { OnboardingInput } from '../../../domain/contracts/onboarding.contract';
import { AppError, badRequest, conflict } from '../http/app-error';

/**
 * What `org_name` / `org_id` at registration mean (docs/onboarding.md):
 * - `org_name` creates a NEW organization, and the registrant becomes its administrator (staff role
 *   BANK_ADMIN). The organization is claimed here, before the onboarding starts, by an exact insert
 *   (adapters/identity/claim-organization.ts): of any number of concurrent registrations naming it,
 *   one creates it and the others answer 409 ORG_NAME_TAKEN. A name someone already holds is never
 *   joined by registering with it.
 * - `org_id` (joining an existing organization) is refused: nobody enters an organization they were
 *   not invited to. Staff join through their administrator (POST /api/v1/auth/users, which emails
 *   them a set-password link); the same answer for existing and unknown ids, so ids do not leak.
 */
export async function organizationForRegistration(
  models: Pick<Models, 'Organization'>,
  body: { org_name?: string; org_id?: string },
  userId: string,
): Promise<OnboardingInput['org']> {
  if (body.org_id) {
    throw new AppError(403, 'ORG_INVITATION_REQUIRED', 'Joining an existing organization needs an invitation: ask its administrator to add you');
  }
  if (!body.org_name) return null;
  // The caller refused requests that cannot win before this point; a retry finds its own claim.
  const claim = await claimOrganization(models, body.org_name, userId);
  if (claim.ok) return { id: claim.organizationId };
  if (claim.reason === 'ORG_NAME_INVALID') throw badRequest('ORG_NAME_INVALID', 'org_name needs at least two letters or digits');
  throw conflict('ORG_NAME_TAKEN', 'An organization with this name already exists; choose another name, or ask its administrator to add you');
}
