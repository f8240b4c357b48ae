import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { Models } from '../../adapters/models';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { updateUser } from '../../adapters/models/user-writes';
import type { PartnerKycCaseActivities, PartnerKycReview } from '../../domain/contracts/partner-kyc.contract';
import { ActivityFailures } from '../../domain/failures/catalog';

/** The audit action of each operator word on a check (the case action's own `case.<action>` event is separate). */
const AUDIT_ACTION: Record<PartnerKycReview, string> = {
  approved: 'partner_kyc.manually_approved',
  rejection_confirmed: 'partner_kyc.rejection_confirmed',
  cancelled: 'partner_kyc.cancelled',
  manual_review: 'partner_kyc.manual_review',
};

/**
 * Operator commands on a partner-KYC check, run by its workflow (workflows/partner-kyc.ts) on the
 * onboarding worker. The audit event comes first under a deterministic id (a retried activity
 * records the fact once), then the state the case sweep and the partner read.
 */
export function createPartnerKycCaseActivities({
  models,
}: {
  models: Pick<Models, 'User' | 'PartnerKycSubmission' | 'AuditEvent' | 'AnalyticsOutbox'>;
}): PartnerKycCaseActivities {
  return {
    async recordPartnerKycReview({ submissionId, review, actor, reason, at }) {
      const s = await models.PartnerKycSubmission.findById(submissionId, { fieldsSealed: 0 }).lean();
      if (!s) throw ActivityFailures.create('NOT_FOUND', 'submission not found');
      await models.AuditEvent.create({
        _id: `partner-kyc:${submissionId}:review:${review}:${at}`,
        actor,
        subject: s.userId,
        tenantId: s.tenantId,
        action: AUDIT_ACTION[review],
        to: { documentId: s.documentId, submissionId, review },
        reason,
      }).catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
      const written = await updateUser(models, s.userId, {
        $set: {
          // The case sources read this: a confirmed rejection, a cancel or a manual review is no
          // longer "rejected, nobody looked" or "pending past the limit" (a new check clears it).
          'kyc.partner.review': { review, submissionId, documentId: s.documentId, actor, at: new Date(at) },
          // A manual review stays `pending` for the partner (seed 003 knows no other state).
          ...(review === 'manual_review' ? { 'kyc.partner.statusDescription': 'Manual review' } : {}),
        },
      });
      if (!written) throw ActivityFailures.create('NOT_FOUND', 'user not found');
      await noteAnalyticsChange(models, 'user', s.userId);
    },
  };
}
