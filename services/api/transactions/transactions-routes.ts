import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import type { TransactionDoc } from '../../../adapters/models/transaction';
import { DIRECTIONS, KYC_TIERS, type KycTier } from '../../../domain/partner-kyc/types';
import { recordTransaction } from '../../../use-cases/transactions/record-transaction';
import { authenticateService, getService } from '../auth/service-auth';
import type { ApiDeps } from '../deps';
import { defineRoute, routesRouter } from '../http/route';

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

/**
 * Internal systems record users' transactions (service token, scope transactions:write); the use
 * case, idempotency and the step-up hold are use-cases/transactions/record-transaction.ts.
 * `createdAt` is the caller's account of when it happened (analytics buckets by it, partners see it).
 */
export function transactionsRouter(deps: ApiDeps, registry: OpenAPIRegistry) {
  const { models } = deps;
  const commandDeps = { ...deps, now: () => deps.now?.() ?? new Date() };

  const routes = [
    defineRoute({
      method: 'post',
      path: '/transactions',
      summary: 'Record a user transaction (internal systems, service token)',
      description:
        "Idempotent by `transactionId` within the user's tenant: the same id again answers 200 with the stored transaction (409 TRANSACTION_ID_REUSED when the details differ). The tier it needs follows the country's kycRules (per amount and over the rolling 30-day volume); when the user has not passed it, the transaction is `held` until they do or PARTNER_KYC_HOLD_HOURS pass (`released` / `declined`). The 30-day window uses the server's clock: every transaction counts from its `recordedAt` (when this call stored it), never from the caller's `createdAt`, so back- or future-dating cannot take an amount out of the window. `createdAt` is kept as the caller reported it (a late report in the past is fine); more than 5 minutes in the future is refused. A held transaction whose hold could not start (Temporal out of reach) answers 503 SERVICE_UNAVAILABLE: it is stored, and the retry with the same transactionId starts its hold and answers 200.",
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
          .meta({
            example: {
              transactionId: 'tx-2026-0001',
              userId: '6f1c…',
              direction: 'onramp',
              amount: 50,
              currency: 'USD',
              createdAt: '2026-11-27T07:00:00Z',
            },
          }),
      },
      responses: {
        201: { description: 'Recorded (status recorded, or held for a step-up)', data: txSchema },
        200: { description: 'Already recorded with this transactionId', data: txSchema },
        400: {
          description:
            "VALIDATION_ERROR, UNSUPPORTED_COUNTRY (the user's country has no catalog), CREATED_AT_IN_FUTURE (`createdAt` more than 5 minutes ahead of the server's clock; details: {createdAt, serverTime, maxSkewSeconds})",
        },
        403: { description: 'INSUFFICIENT_SCOPE' },
        404: { description: 'NOT_FOUND: no such user' },
        409: { description: 'TRANSACTION_ID_REUSED: the id is taken by a transaction with other details' },
      },
      handler: async ({ body, res }) => {
        const { created, tx } = await recordTransaction(
          commandDeps,
          `service:${getService(res)?.name ?? 'unknown'}`,
          body,
        );
        return { status: created ? 201 : 200, data: txView(tx) };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
