import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { noteAnalyticsChange } from '../../../adapters/analytics/analytics-outbox';
import { isDuplicateKeyError } from '../../../adapters/models/duplicate-key';
import { transactionKey, type TransactionDoc } from '../../../adapters/models/transaction';
import { TRANSACTION_HOLD_WORKFLOW, transactionHoldWorkflowId, type TransactionHoldInput } from '../../../domain/contracts/partner-kyc.contract';
import { covers, tierNeeded } from '../../../domain/partner-kyc/tiers';
import { DIRECTIONS, KYC_TIERS, type KycTier } from '../../../domain/partner-kyc/types';
import { taskQueues } from '../../../domain/task-queues';
import { authenticateService, getService } from '../auth/service-auth';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { catalogFor, recentVolumes } from '../../../use-cases/partner-kyc/partner-kyc-state';

const txView = (tx: TransactionDoc) => ({
  transactionId: tx.externalId,
  userId: tx.userId,
  direction: tx.direction,
  amount: tx.amount,
  currency: tx.currency,
  createdAt: new Date(tx.createdAt).toISOString(),
  recordedAt: new Date(tx.recordedAt).toISOString(),
  requiredKycType: (tx.requiredTier ?? null) as KycTier | null,
  status: tx.status,
});

const txSchema = z.object({
  transactionId: z.string(),
  userId: z.string(),
  direction: z.enum(DIRECTIONS),
  amount: z.number(),
  currency: z.string(),
  createdAt: z.string(),
  recordedAt: z.string(),
  requiredKycType: z.enum(KYC_TIERS).nullable(),
  status: z.enum(['recorded', 'held', 'released', 'declined']),
});

/** How far in the future a caller's `createdAt` may be (clock skew between their systems and ours). */
export const CREATED_AT_MAX_SKEW_MS = 5 * 60_000;

/**
 * Internal systems record users' transactions (service token, scope transactions:write). The
 * caller's transaction id makes it idempotent: `_id = <tenantId>:<transactionId>` is inserted once.
 * A transaction that needs a higher tier than the user passed is held (step-up workflow).
 *
 * The tier rule's 30-day window runs on the server's clock: a transaction counts from the moment it
 * is recorded (`recordedAt`), whatever `createdAt` the caller gives. `createdAt` is the caller's
 * account of when it happened (analytics buckets by it, partners see it); a past one is accepted (a
 * late report) but cannot move the amount out of the window, and one more than 5 minutes in the
 * future is refused (400 CREATED_AT_IN_FUTURE).
 */
export function transactionsRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const { models, config, temporal } = deps;
  const queues = taskQueues(config.TASK_QUEUE_PREFIX);
  const now = () => deps.now?.() ?? new Date();

  async function ensureHold(tx: TransactionDoc) {
    const input: TransactionHoldInput = {
      transactionId: tx._id,
      userId: tx.userId,
      requiredTier: tx.requiredTier as KycTier,
      deadline: new Date(new Date(tx.recordedAt).getTime() + config.PARTNER_KYC_HOLD_HOURS * 3_600_000).toISOString(),
    };
    try {
      await temporal.workflow.start(TRANSACTION_HOLD_WORKFLOW, { workflowId: transactionHoldWorkflowId(tx._id), taskQueue: queues.onboarding, args: [input] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  const routes = [
    defineRoute({
      method: 'post',
      path: '/transactions',
      summary: 'Record a user transaction (internal systems, service token)',
      description:
        'Idempotent by `transactionId` within the user\'s tenant: the same id again answers 200 with the stored transaction (409 TRANSACTION_ID_REUSED when the details differ). The tier it needs follows the country\'s kycRules (per amount and over the rolling 30-day volume); when the user has not passed it, the transaction is `held` until they do or PARTNER_KYC_HOLD_HOURS pass (`released` / `declined`). The 30-day window uses the server\'s clock: every transaction counts from its `recordedAt` (when this call stored it), never from the caller\'s `createdAt`, so back- or future-dating cannot take an amount out of the window. `createdAt` is kept as the caller reported it (a late report in the past is fine); more than 5 minutes in the future is refused. A held transaction whose hold could not start (Temporal out of reach) answers 503 SERVICE_UNAVAILABLE: it is stored, and the retry with the same transactionId starts its hold and answers 200.',
      tags: ['Transactions'],
      security: ['serviceToken'],
      before: [authenticateService({ models, scopes: ['transactions:write'] })],
      request: {
        body: z
          .object({
            transactionId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
            userId: z.string().min(1).max(64),
            direction: z.enum(DIRECTIONS),
            amount: z.number().min(0).max(1e15),
            currency: z.string().regex(/^[A-Z]{3}$/),
            createdAt: z.iso.datetime({ offset: true }),
          })
          .meta({ example: { transactionId: 'tx-2026-0001', userId: '6f1c…', direction: 'onramp', amount: 50, currency: 'USD', createdAt: '2026-11-27T07:00:00Z' } }),
      },
      responses: {
        201: { description: 'Recorded (status recorded, or held for a step-up)', data: txSchema },
        200: { description: 'Already recorded with this transactionId', data: txSchema },
        400: { description: 'VALIDATION_ERROR, UNSUPPORTED_COUNTRY (the user\'s country has no catalog), CREATED_AT_IN_FUTURE (`createdAt` more than 5 minutes ahead of the server\'s clock; details: {createdAt, serverTime, maxSkewSeconds})' },
        403: { description: 'INSUFFICIENT_SCOPE' },
        404: { description: 'NOT_FOUND: no such user' },
        409: { description: 'TRANSACTION_ID_REUSED: the id is taken by a transaction with other details' },
      },
      handler: async ({ body, res }) => {
        const user = await models.User.findById(body.userId, { tenantId: 1, country: 1, kycLevel: 1 }).lean();
        if (!user || !user.tenantId) throw notFound('User');
        const _id = transactionKey(user.tenantId, body.transactionId);
        const existing = await models.Transaction.findById(_id).lean();
        const same = (tx: TransactionDoc) =>
          tx.userId === body.userId && tx.direction === body.direction && tx.amount === body.amount && tx.currency === body.currency && new Date(tx.createdAt).getTime() === new Date(body.createdAt).getTime();
        const replay = async (tx: TransactionDoc) => {
          if (!same(tx)) throw conflict('TRANSACTION_ID_REUSED', 'This transactionId was recorded with other details');
          if (tx.status === 'held') await ensureHold(tx); // a first call that failed after the insert
          return { status: 200, data: txView(tx) };
        };
        if (existing) return replay(existing as TransactionDoc);
        const recordedAt = now();
        const createdAt = new Date(body.createdAt);
        if (createdAt.getTime() > recordedAt.getTime() + CREATED_AT_MAX_SKEW_MS) {
          throw badRequest('CREATED_AT_IN_FUTURE', 'createdAt is more than 5 minutes ahead of the server\'s clock', {
            createdAt: createdAt.toISOString(),
            serverTime: recordedAt.toISOString(),
            maxSkewSeconds: CREATED_AT_MAX_SKEW_MS / 1000,
          });
        }
        const catalog = await catalogFor(models, user.country ?? '');
        // The window ends now, on the server's clock (see above), not at the caller's createdAt.
        const { volumes } = await recentVolumes(models, body.userId, recordedAt);
        const need = tierNeeded(catalog.kycRules, body.direction, body.amount, volumes[body.direction]);
        const held = !covers((user.kycLevel ?? 'none') as KycTier, need.required);
        let tx: TransactionDoc;
        try {
          tx = (await models.Transaction.create({
            _id,
            tenantId: user.tenantId,
            userId: body.userId,
            externalId: body.transactionId,
            direction: body.direction,
            amount: body.amount,
            currency: body.currency,
            createdAt,
            recordedAt,
            requiredTier: need.required,
            status: held ? 'held' : 'recorded',
          })).toObject() as TransactionDoc;
        } catch (err) {
          if (!isDuplicateKeyError(err)) throw err;
          return replay((await models.Transaction.findById(_id).lean()) as TransactionDoc);
        }
        await noteAnalyticsChange(models, 'transaction', tx._id);
        if (held) {
          await models.AuditEvent.create({ actor: `service:${getService(res)?.name ?? 'unknown'}`, subject: tx.userId, tenantId: tx.tenantId, action: 'transaction.held', to: { transactionId: tx._id, requiredTier: need.required } });
          await ensureHold(tx);
        }
        return { status: 201, data: txView(tx) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
