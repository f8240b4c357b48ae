import { transactionHoldWorkflowId } from '../../domain/contracts/partner-kyc.contract';
import type { CaseSource } from './case-source';

const HOUR_MS = 3_600_000;

/**
 * Held transactions near their deadline. The deadline is not stored: it is `recordedAt` +
 * PARTNER_KYC_HOLD_HOURS (use-cases/transactions/record-transaction.ts), so "deadline within the
 * window" is "recorded before now + window - hold hours". The same filter rechecks one case before
 * an action: a hold released or declined meanwhile is a case that moved on.
 */
export const TRANSACTION_CASE_SOURCES: CaseSource[] = [
  {
    kind: 'transaction_hold_expiring',
    model: (m) => m.Transaction,
    filter: ({ now, holdHours, holdExpiringHours }) => ({
      status: 'held',
      recordedAt: { $lte: new Date(now.getTime() + (holdExpiringHours - holdHours) * HOUR_MS) },
    }),
    projection: {
      _id: 1,
      tenantId: 1,
      userId: 1,
      recordedAt: 1,
      requiredTier: 1,
      amount: 1,
      currency: 1,
      direction: 1,
    },
    observe: (t, { holdHours }) => ({
      kind: 'transaction_hold_expiring',
      subjectType: 'transaction',
      subjectId: t._id,
      tenantId: t.tenantId,
      ownerUserId: t.userId,
      workflowId: transactionHoldWorkflowId(t._id),
      why: {
        step: 'held',
        since: t.recordedAt,
        lastProviderEvent: null,
        attempts: null,
        detail:
          `${t.direction} ${t.amount} ${t.currency} needs tier ${t.requiredTier}; ` +
          `declined at ${new Date(new Date(t.recordedAt).getTime() + holdHours * HOUR_MS).toISOString()}`,
      },
    }),
  },
];
