import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';

import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { ProcessConfig } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { type TransactionDoc, transactionKey } from '../../adapters/models/transaction';
import {
  TRANSACTION_HOLD_WORKFLOW,
  type TransactionHoldInput,
  transactionHoldWorkflowId,
} from '../../domain/contracts/partner-kyc.contract';
import { covers, tierNeeded } from '../../domain/partner-kyc/tiers';
import type { Direction, KycTier } from '../../domain/partner-kyc/types';
import { taskQueues } from '../../domain/task-queues';
import { badRequest, conflict, notFound } from '../app-error';
import { catalogFor, recentVolumes } from '../partner-kyc/partner-kyc-state';

/** How far in the future a caller's `createdAt` may be (clock skew between their systems and ours). */
export const CREATED_AT_MAX_SKEW_MS = 5 * 60_000;

export interface RecordTransactionDeps {
  config: ProcessConfig<'api'>;
  models: Models;
  temporal: Client;
  now: () => Date;
}

export interface TransactionReport {
  transactionId: string;
  userId: string;
  direction: Direction;
  amount: number;
  currency: string;
  /** ISO date-time: when it happened, by the caller's account. */
  createdAt: string;
}

/** The step-up hold of a held transaction; an already running (or finished) one is left as it is. */
async function ensureHold(deps: RecordTransactionDeps, tx: TransactionDoc): Promise<void> {
  const input: TransactionHoldInput = {
    transactionId: tx._id,
    userId: tx.userId,
    requiredTier: tx.requiredTier as KycTier,
    deadline: new Date(
      new Date(tx.recordedAt).getTime() + deps.config.PARTNER_KYC_HOLD_HOURS * 3_600_000,
    ).toISOString(),
  };
  try {
    const taskQueue = taskQueues(deps.config.TASK_QUEUE_PREFIX).onboarding;
    await deps.temporal.workflow.start(TRANSACTION_HOLD_WORKFLOW, {
      workflowId: transactionHoldWorkflowId(tx._id),
      taskQueue,
      args: [input],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * An internal system records a user's transaction. The caller's transaction id makes it idempotent:
 * `_id = <tenantId>:<transactionId>` is inserted once, and the same report again answers the stored
 * transaction (other details: 409 TRANSACTION_ID_REUSED). A transaction that needs a higher tier than
 * the user passed is held (the step-up workflow), audited as `transaction.held`.
 *
 * The tier rule's 30-day window runs on the server's clock: a transaction counts from the moment it
 * is recorded (`recordedAt`), whatever `createdAt` the caller gives. A past `createdAt` is accepted (a
 * late report) but cannot move the amount out of the window; one more than 5 minutes in the future is
 * refused (400 CREATED_AT_IN_FUTURE).
 */
export async function recordTransaction(
  deps: RecordTransactionDeps,
  actor: string,
  report: TransactionReport,
): Promise<{ created: boolean; tx: TransactionDoc }> {
  const { models } = deps;
  const user = await models.User.findById(report.userId, { tenantId: 1, country: 1, kycLevel: 1 }).lean();
  if (!user || !user.tenantId) throw notFound('User');
  const _id = transactionKey(user.tenantId, report.transactionId);
  const same = (tx: TransactionDoc) =>
    tx.userId === report.userId &&
    tx.direction === report.direction &&
    tx.amount === report.amount &&
    tx.currency === report.currency &&
    new Date(tx.createdAt).getTime() === new Date(report.createdAt).getTime();
  const replay = async (tx: TransactionDoc) => {
    if (!same(tx)) throw conflict('TRANSACTION_ID_REUSED', 'This transactionId was recorded with other details');
    if (tx.status === 'held') await ensureHold(deps, tx); // a first call that failed after the insert
    return { created: false, tx };
  };
  const existing = await models.Transaction.findById(_id).lean();
  if (existing) return replay(existing as TransactionDoc);
  const recordedAt = deps.now();
  const createdAt = new Date(report.createdAt);
  if (createdAt.getTime() > recordedAt.getTime() + CREATED_AT_MAX_SKEW_MS) {
    throw badRequest('CREATED_AT_IN_FUTURE', "createdAt is more than 5 minutes ahead of the server's clock", {
      createdAt: createdAt.toISOString(),
      serverTime: recordedAt.toISOString(),
      maxSkewSeconds: CREATED_AT_MAX_SKEW_MS / 1000,
    });
  }
  const catalog = await catalogFor(models, user.country ?? '');
  // The window ends now, on the server's clock (see above), not at the caller's createdAt.
  const { volumes } = await recentVolumes(models, report.userId, recordedAt);
  const need = tierNeeded(catalog.kycRules, report.direction, report.amount, volumes[report.direction]);
  const held = !covers((user.kycLevel ?? 'none') as KycTier, need.required);
  let tx: TransactionDoc;
  try {
    const created = await models.Transaction.create({
      _id,
      tenantId: user.tenantId,
      userId: report.userId,
      externalId: report.transactionId,
      direction: report.direction,
      amount: report.amount,
      currency: report.currency,
      createdAt,
      recordedAt,
      requiredTier: need.required,
      status: held ? 'held' : 'recorded',
    });
    tx = created.toObject() as TransactionDoc;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return replay((await models.Transaction.findById(_id).lean()) as TransactionDoc);
  }
  await noteAnalyticsChange(models, 'transaction', tx._id);
  if (held) {
    await models.AuditEvent.create({
      actor,
      subject: tx.userId,
      tenantId: tx.tenantId,
      action: 'transaction.held',
      to: { transactionId: tx._id, requiredTier: need.required },
    });
    await ensureHold(deps, tx);
  }
  return { created: true, tx };
}
