import { createOrgInvitation as insertOrgInvitation } from '../../adapters/identity/org-invitations';
import type { Models } from '../../adapters/models';
import type { OrgInvitationDoc } from '../../adapters/models/org-invitation';
import { auditOrgInvitation } from './org-invitation-audit';

/**
 * A BANK_ADMIN makes a retail invitation code for its organization (issue 22, seed 000's org_id):
 * `maxUses` registrations may use it until it expires or is revoked. The code is returned once;
 * only its digest is stored. Audited (`invitation.created`).
 */
export async function createOrgInvitation(
  deps: { models: Models; now: () => Date },
  admin: { userId: string; tenantId: string; requestId: string | null },
  order: { maxUses: number; expiresInHours: number; label?: string },
): Promise<{ invitation: OrgInvitationDoc; code: string }> {
  const expiresAt = new Date(deps.now().getTime() + order.expiresInHours * 3_600_000);
  const { id, code } = await insertOrgInvitation(deps.models, {
    tenantId: admin.tenantId,
    createdBy: admin.userId,
    maxUses: order.maxUses,
    expiresAt,
    label: order.label ?? null,
  });
  await auditOrgInvitation(deps, admin, 'invitation.created', { id, maxUses: order.maxUses, expiresAt });
  const invitation = (await deps.models.OrgInvitation.findById(id).lean()) as OrgInvitationDoc;
  return { invitation, code };
}
