import { accountWorkflowId } from '../../domain/contracts/account.contract';
import type { CaseObservation, CaseSource } from './case-source';

/** Decisions that say the person is not (or no longer) verified (domain/rules/late-veriff-event.ts). */
const NOT_VERIFIED = ['declined', 'resubmission_requested', 'expired', 'abandoned'];

/**
 * A late Veriff decision that disagrees with the user's status, as it is now. The stored
 * `needsReview` flag was true when the decision arrived; the status half is re-evaluated here, so a
 * status change (an approve or reject on the case, or the admin status endpoint) resolves the case
 * without anyone rewriting the recorded decision. Served by the sparse `needsReview` index.
 */
export const lateVeriffDecisionFilter = () => ({
  'kyc.veriff.lateDecision.needsReview': true,
  $or: [
    { 'kyc.veriff.lateDecision.status': 'approved', status: { $ne: 'active' } },
    { 'kyc.veriff.lateDecision.status': { $in: NOT_VERIFIED }, status: 'active' },
  ],
});

/** Case sources of the onboarding's side (docs/operations.md): kept apart from the generic ones. */
export const ONBOARDING_CASE_SOURCES: CaseSource[] = [
  {
    // Veriff decided after the onboarding ended and disagrees with the status: a person decides.
    kind: 'kyc_late_decision',
    model: (m) => m.User,
    filter: lateVeriffDecisionFilter,
    projection: { _id: 1, tenantId: 1, status: 1, 'kyc.veriff.lateDecision': 1 },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a lean document of the source's own shape
    observe: (u: any): CaseObservation => {
      const d = u.kyc?.veriff?.lateDecision ?? {};
      return {
        kind: 'kyc_late_decision',
        subjectType: 'user',
        subjectId: u._id,
        tenantId: u.tenantId ?? null,
        ownerUserId: u._id,
        // The onboarding has ended: the account workflow took the decision in and applies a status change.
        workflowId: accountWorkflowId(u._id),
        why: {
          step: `after_onboarding:${u.status}`,
          since: d.receivedAt ? new Date(d.receivedAt) : null,
          lastProviderEvent: `veriff:${d.status}`,
          attempts: null,
          detail: [d.code, d.reason].filter((x) => x !== null && x !== undefined).join(' ') || null,
        },
      };
    },
  },
];
