import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { Models } from '../../adapters/models';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { updateUser } from '../../adapters/models/user-writes';
import type { PartnerKycActivities } from '../../domain/contracts/partner-kyc.contract';
import { ActivityFailures } from '../../domain/failures/catalog';
import { higherTier, type KycTier } from '../../domain/partner-kyc/types';

type Deps = {
  models: Pick<
    Models,
    'User' | 'DocumentLock' | 'PartnerKycSubmission' | 'Transaction' | 'AuditEvent' | 'AnalyticsOutbox'
  >;
};

/**
 * Partner-KYC database work (onboarding worker). Audit events have deterministic ids, so a
 * retried activity records each fact once. `kycLevel` (the status response's passedKycType) only
 * ever goes up.
 */
export function createPartnerKycActivities({ models }: Deps): PartnerKycActivities {
  async function submission(submissionId: string) {
    const s = await models.PartnerKycSubmission.findById(submissionId, { fieldsSealed: 0 }).lean();
    if (!s) throw ActivityFailures.create('NOT_FOUND', 'submission not found');
    return s;
  }
  async function audit(doc: Record<string, unknown> & { _id: string }) {
    try {
      await models.AuditEvent.create(doc);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  return {
    async beginPartnerKycCheck({ submissionId }) {
      const s = await submission(submissionId);
      // Audit first (deterministic id), then the state: whoever sees "pending" finds its record.
      await audit({
        _id: `partner-kyc:${submissionId}:checking`,
        actor: `client:${s.clientId}`,
        subject: s.userId,
        tenantId: s.tenantId,
        action: 'partner_kyc.checking',
        to: { documentId: s.documentId, value: s.documentValue },
      });
      await updateUser(models, s.userId, {
        $set: {
          'kyc.partner.status': 'pending',
          'kyc.partner.statusDescription': 'Verification in progress',
          'kyc.partner.documentId': s.documentId,
          'kyc.partner.updatedAt': new Date(),
          // An operator's word on the previous check (activities/cases/partner-kyc-case-activities.ts) ends here.
          'kyc.partner.review': null,
        },
        // Checks begun per document (a case's `attempts`; an operator's retry begins one too).
        $inc: { [`kyc.partner.checks.${s.documentId}`]: 1 },
      });
      await noteAnalyticsChange(models, 'user', s.userId);
      return { documentType: s.documentType as 'basic' | 'advanced' };
    },

    async recordPartnerKycOutcome({ submissionId, outcome }) {
      const s = await submission(submissionId);
      const status = outcome.decision;
      const at = new Date();
      // The level is raised on the locked record: two documents finishing at once both land and
      // the higher tier wins (it is never lowered).
      const tierAfter = (current: { kycLevel?: string | null }) => {
        const before = (current.kycLevel ?? 'none') as KycTier;
        return outcome.decision === 'approved' ? higherTier(before, s.documentType as KycTier) : before;
      };
      // The decision's audit event is written first, under its deterministic id, and only then the
      // state a partner can read (as status-transition.ts does): a decision visible through
      // /api/user/kyc/status always has its record. A retry finds the event and keeps its levels.
      const auditId = `partner-kyc:${submissionId}:outcome`;
      const prior = await models.AuditEvent.findById(auditId, { from: 1, to: 1 }).lean();
      if (!prior) {
        const current = await models.User.findById(s.userId, { kycLevel: 1 }).lean();
        if (!current) throw ActivityFailures.create('NOT_FOUND', 'user not found');
        await audit({
          _id: auditId,
          actor: 'system:partner-kyc',
          subject: s.userId,
          tenantId: s.tenantId,
          action: `partner_kyc.${status}`,
          from: { kycLevel: (current.kycLevel ?? 'none') as KycTier },
          to: {
            kycLevel: tierAfter(current),
            documentId: s.documentId,
            description: outcome.description,
            resultCode: outcome.resultCode,
          },
        });
      }
      // The level itself is decided again on the locked record, so a concurrent raise is never lowered.
      const written = await updateUser(models, s.userId, (current) => ({
        $set: {
          kycLevel: tierAfter(current),
          'kyc.partner.status': status,
          'kyc.partner.statusDescription': outcome.description,
          'kyc.partner.documentId': s.documentId,
          'kyc.partner.updatedAt': at,
          [`kyc.partner.documents.${s.documentId}`]: {
            status,
            description: outcome.description,
            resultCode: outcome.resultCode,
            idNumberLast3: s.idNumberLast3,
            submissionId,
            at,
          },
        },
      }));
      if (!written) throw ActivityFailures.create('NOT_FOUND', 'user not found');
      const after = tierAfter(written.before);
      await noteAnalyticsChange(models, 'user', s.userId);
      const held = await models.Transaction.find({ userId: s.userId, status: 'held' }, { _id: 1 }).lean();
      return { passedTier: after, heldTransactionIds: held.map((t) => t._id as string) };
    },

    async currentPartnerTier({ userId }) {
      const user = await models.User.findById(userId, { kycLevel: 1 }).lean();
      return (user?.kycLevel as KycTier | undefined) ?? 'none';
    },

    async settleHeldTransaction({ transactionId, outcome }) {
      const tx = await models.Transaction.findById(transactionId).lean();
      if (!tx) throw ActivityFailures.create('NOT_FOUND', 'transaction not found');
      // Only the hold workflow writes a held transaction's status, so this is not a contended update.
      // Audit first, then the status a caller can read (the same order as every decision here).
      await audit({
        _id: `transaction-hold:${transactionId}:${outcome}`,
        actor: 'system:step-up',
        subject: tx.userId,
        tenantId: tx.tenantId,
        action: `transaction.${outcome}`,
        from: { status: 'held' },
        to: { status: outcome, transactionId },
      });
      await models.Transaction.updateOne({ _id: transactionId }, { $set: { status: outcome } });
      await noteAnalyticsChange(models, 'transaction', transactionId);
    },
  };
}
