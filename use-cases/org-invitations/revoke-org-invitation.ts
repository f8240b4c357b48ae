import type { Models } from '../../adapters/models';
import type { OrgInvitationDoc } from '../../adapters/models/org-invitation';
import { notFound } from '../app-error';
import { auditOrgInvitation } from './org-invitation-audit';

/**
 * A BANK_ADMIN revokes one of its organization's invitations: registrations with its code answer
 * 403 from now on. Revoking again changes nothing (and is not audited again); another
 * organization's invitation is 404.
 */
export async function revokeOrgInvitation(
  deps: { models: Models; now: () => Date },
  admin: { userId: string; tenantId: string; requestId: string | null },
  invitationId: string,
): Promise<OrgInvitationDoc> {
  const { models } = deps;
  const inv = await models.OrgInvitation.findOne({ _id: invitationId, tenantId: admin.tenantId }).lean();
  if (!inv) throw notFound('Invitation');
  if (!inv.revokedAt) {
    await models.OrgInvitation.updateOne({ _id: invitationId, revokedAt: null }, { $set: { revokedAt: deps.now() } });
    await auditOrgInvitation(deps, admin, 'invitation.revoked', { id: invitationId });
  }
  return (await models.OrgInvitation.findById(invitationId).lean()) as OrgInvitationDoc;
}
