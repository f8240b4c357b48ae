import type { CaseKind } from '../../domain/contracts/cases.contract';
import { partnerKycWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import type { CaseObservation, CaseSource } from './case-source';

const projection = { _id: 1, tenantId: 1, kycLevel: 1, 'kyc.partner': 1 } as const;

interface PartnerState {
  status?: string;
  statusDescription?: string;
  documentId?: string;
  updatedAt?: Date;
  documents?: Record<string, { description?: string; resultCode?: string; at?: Date } | undefined>;
  checks?: Record<string, number | undefined>;
  review?: { review?: string; at?: Date } | null;
}

/**
 * A user's latest partner-KYC check (seed 003: `kyc.partner` holds the latest document's state; the
 * check's run is `partner-kyc-<userId>-<documentId>`) read as a case. `attempts`: checks begun for
 * that document (each submission and each retry).
 */
const partnerCase =
  (kind: CaseKind, why: (p: PartnerState) => Pick<CaseObservation['why'], 'step' | 'since' | 'lastProviderEvent'>) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a lean document of the source's own shape
  (u: any): CaseObservation => {
    const p: PartnerState = u.kyc?.partner ?? {};
    const documentId = p.documentId ?? '';
    return {
      kind,
      subjectType: 'user',
      subjectId: u._id,
      tenantId: u.tenantId ?? null,
      ownerUserId: u._id,
      workflowId: partnerKycWorkflowId(u._id, documentId),
      why: {
        ...why(p),
        attempts: p.checks?.[documentId] ?? null,
        detail: `document ${documentId}, passed tier ${u.kycLevel ?? 'none'}: ${p.statusDescription ?? ''}`,
      },
    };
  };

const lastAnswer = (p: PartnerState) => {
  const d = p.documentId ? p.documents?.[p.documentId] : undefined;
  return d?.resultCode ? `smile-id:${d.resultCode} ${d.description ?? ''}`.trim() : null;
};

/**
 * Partner KYC checks that need a person (docs/operations.md). `kyc.partner.review` is an operator's
 * word on the current check (a confirmed rejection, a cancel, a manual review), written by the
 * check's run; a new check clears it, so a later rejection is a case again.
 */
export const PARTNER_KYC_CASE_SOURCES: CaseSource[] = [
  {
    // The provider (or the provider being down through every retry) rejected the check; nobody confirmed it.
    kind: 'partner_kyc_rejected',
    model: (m) => m.User,
    filter: () => ({ 'kyc.partner.status': 'rejected', 'kyc.partner.review': null }),
    projection,
    observe: partnerCase('partner_kyc_rejected', (p) => ({
      step: 'rejected',
      since: p.documentId ? (p.documents?.[p.documentId]?.at ?? p.updatedAt ?? null) : (p.updatedAt ?? null),
      lastProviderEvent: lastAnswer(p),
    })),
  },
  {
    // Checking for longer than CASE_PARTNER_KYC_PENDING_MINUTES: a document job the provider has not
    // finished, or an identity authority down through the activity's retries.
    kind: 'partner_kyc_pending',
    model: (m) => m.User,
    filter: ({ now, partnerKycPendingMinutes }) => ({
      'kyc.partner.status': 'pending',
      'kyc.partner.review': null,
      'kyc.partner.updatedAt': { $lt: new Date(now.getTime() - partnerKycPendingMinutes * 60_000) },
    }),
    projection,
    observe: partnerCase('partner_kyc_pending', (p) => ({
      step: 'pending',
      since: p.updatedAt ?? null,
      // Nothing from the provider for this check yet; the previous answer on this document, if any.
      lastProviderEvent: lastAnswer(p),
    })),
  },
  {
    // An operator moved a pending check to manual review: the run waits for a person's decision.
    kind: 'partner_kyc_review',
    model: (m) => m.User,
    filter: () => ({ 'kyc.partner.status': 'pending', 'kyc.partner.review.review': 'manual_review' }),
    projection,
    observe: partnerCase('partner_kyc_review', (p) => ({
      step: 'manual_review',
      since: p.review?.at ?? p.updatedAt ?? null,
      lastProviderEvent: lastAnswer(p),
    })),
  },
];
