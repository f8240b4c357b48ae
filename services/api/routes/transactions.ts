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
import { conflict, notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { catalogFor, recentVolumes } from '../partner/partner-kyc-state';

const txView = (tx: TransactionDoc) => ({
  transactionId: tx.externalId,
  userId: tx.userId,
  direction: tx.direction,
  amount: tx.amount,
  currency: tx.currency,
  createdAt: new Date(tx.createdAt).toISOString(),
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
  requiredKycType: z.enum(KYC_TIERS).nullable(),
  status: z.enum(['recorded', 'held', 'released', 'declined']),
});

/**
 * Internal systems record users' transactions (service token, scope transactions:write). The
 * caller's transaction id makes it idempotent: `_id = <tenantId>:<transactionId>` is inserted once.
 * A transaction that needs a higher tier than the user passed is held (step-up workflow).
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
        'Idempotent by `transactionId` within the user\'s tenant: the same id again answers 200 with the stored transaction (409 TRANSACTION_ID_REUSED when the details differ). The tier it needs follows the country\'s kycRules (per amount and over the rolling 30-day volume); when the user has not passed it, the transaction is `held` until they do or PARTNER_KYC_HOLD_HOURS pass (`released` / `declined`).',
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
        400: { description: 'VALIDATION_ERROR, UNSUPPORTED_COUNTRY (the user\'s country has no catalog)' },
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
        const catalog = await catalogFor(models, user.country ?? '');
        const { volumes } = await recentVolumes(models, body.userId, new Date(body.createdAt));
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
            createdAt: new Date(body.createdAt),
            recordedAt: now(),
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
