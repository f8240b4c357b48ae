import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express from 'express';
import { z } from 'zod';

import { createFieldCipher } from '../../../adapters/crypto/field-cipher';
import { isIsoCountryCode } from '../../../adapters/identity/country-codes';
import { budgetedPatternTester } from '../../../adapters/partner-kyc/pattern-budget';
import { documentView } from '../../../domain/partner-kyc/catalog';
import { BUILT_IN_CATALOGS } from '../../../domain/partner-kyc/catalogs';
import { DIRECTIONS, FIELD_TYPES, KYC_TIERS } from '../../../domain/partner-kyc/types';
import { checkPartnerKycLimits } from '../../../use-cases/partner-kyc/check-partner-kyc-limits';
import { getPartnerKycStatus } from '../../../use-cases/partner-kyc/get-partner-kyc-status';
import { statusCatalog } from '../../../use-cases/partner-kyc/partner-kyc-state';
import { submitPartnerKyc } from '../../../use-cases/partner-kyc/submit-partner-kyc';
import { type AuthKit, requestIdOf } from '../auth/auth-kit';
import { rateLimit } from '../auth/rate-limiter';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { getApiClient, requireApiClient } from './api-client-auth';

const fieldSpecSchema = z.object({
  type: z.enum(FIELD_TYPES),
  label: z.string(),
  required: z.boolean(),
  format: z.string().optional(),
  regexp: z.string().optional(),
  regexpFlags: z.string().optional(),
});
const ruleSchema = z.object({
  min: z.number(),
  max: z.union([z.number(), z.literal('Infinity')]),
  type: z.enum(KYC_TIERS),
});
const rulesSchema = z.object({ onramp: z.array(ruleSchema), offramp: z.array(ruleSchema) });
const documentSchema = z.object({
  _id: z.string(),
  type: z.enum(['basic', 'advanced']),
  title: z.string(),
  value: z.string(),
  requiredFields: z
    .object({
      kycRules: rulesSchema.optional().meta({
        description:
          "Only in the status's last advanced document, where seed 003 shows it: the same rules as the top-level `kycRules`; " +
          'not a field to submit',
      }),
    })
    .catchall(fieldSpecSchema),
});

const NG = BUILT_IN_CATALOGS.get('NG')!;
const ngDocs = NG.documents.map(documentView);
const statusExample = {
  passedKycType: 'advanced',
  reachedKycLimit: false,
  kycStatus: 'approved',
  kycStatusDescription: 'Partial Match',
  ...statusCatalog(NG),
};

const statusSchema = z
  .object({
    passedKycType: z.enum(KYC_TIERS),
    reachedKycLimit: z.boolean(),
    kycStatus: z.enum(['not_submitted', 'pending', 'approved', 'rejected']),
    kycStatusDescription: z.string(),
    basicDocuments: z.array(documentSchema),
    advancedDocuments: z.array(documentSchema),
    kycRules: rulesSchema,
  })
  .meta({ id: 'PartnerKycStatus', example: statusExample });

const emailCountry = z
  .object({
    email: z.email().max(254),
    countryIsoCode: z.string().refine(isIsoCountryCode, 'an ISO 3166-1 alpha-2 code such as NG'),
  })
  .meta({ example: { email: 'user@example.com', countryIsoCode: 'NG' } });

const json = (schema: z.ZodType) => ({ contentType: 'application/json', schema });

/**
 * Seed 003 partner KYC: status (with the country's catalog and tier rules), field-validated
 * submission into a durable workflow, "may this user do X?" and the state of held transactions.
 * Enabled per API client (`create-api-client --enable-partner-kyc`); answers the seed's bare shapes.
 */
export function partnerKycRouter(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const { models, config } = deps;
  // Each catalog pattern gets 50 ms per value (a guarded pattern on ≤ 128 characters takes microseconds).
  // Generous: the guard already refuses super-linear patterns and values are capped at 128
  // characters, so this only stops a runaway; 50 ms failed real submissions on a loaded 2-core CI
  // machine (a GC pause or a starved thread counts against the budget).
  const commandDeps = {
    ...deps,
    now: () => deps.now?.() ?? new Date(),
    cipher: createFieldCipher(config.PII_ENCRYPTION_KEYS),
    testPattern: budgetedPatternTester(1000),
  };
  // Mounted before the app's JSON parser, so each route names its own body limit.
  const smallJson = express.json({ limit: config.BODY_LIMIT, strict: true });
  const guard = [
    smallJson,
    requireApiClient(models),
    ((_req, res, next) =>
      next(
        getApiClient(res).partnerKycEnabled
          ? undefined
          : forbidden('Partner KYC is not enabled for this client', 'PARTNER_KYC_DISABLED'),
      )) as express.RequestHandler,
  ];
  const common = {
    401: { description: 'INVALID_CLIENT' },
    403: { description: 'PARTNER_KYC_DISABLED, or ACCOUNT_DEACTIVATED' },
    409: { description: 'EMAIL_UNAVAILABLE: the email belongs to a user this client may not act for' },
  };

  const routes = [
    defineRoute({
      method: 'post',
      path: '/api/user/kyc/status',
      summary: 'Get user KYC status (partner API)',
      description:
        'Creates the user in your tenant if absent. Answers the tier the user passed, the latest verification outcome, the country\'s document catalog and its tier rules (`kycRules` at the top level, and as in seed 003 also inside the last advanced document\'s `requiredFields`; `max` may be the string "Infinity"). Never echoes an ID number.',
      tags: ['Partner KYC'],
      security: ['clientId'],
      before: guard,
      request: { body: emailCountry },
      responses: {
        200: { description: "Successfully retrieved the user's KYC status.", raw: json(statusSchema) },
        400: { description: 'VALIDATION_ERROR, UNSUPPORTED_COUNTRY (details.supported lists the countries)' },
        ...common,
      },
      handler: async ({ body, req, res }) => ({
        bare: true,
        data: await getPartnerKycStatus(commandDeps, getApiClient(res), body, { requestId: requestIdOf(req) }),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/user/kyc/submit',
      summary: 'Submit user KYC information (partner API)',
      description:
        "Validates `userFields` against the document's `requiredFields` (400 INVALID_USER_FIELDS with one entry per bad field, nothing stored), then starts or signals the durable verification and answers at once (503 SERVICE_UNAVAILABLE when Temporal is out of reach: nothing is kept, submit again). Follow the outcome with /api/user/kyc/status. `userFields.email` defaults to `email`. Images (`smile-identity-images`) are `[{image_type_id, image}]` with base64 JPEG/PNG: 2 selfie and 3 document front are required, 7 back and 6 liveness optional.",
      tags: ['Partner KYC'],
      security: ['clientId'],
      before: [
        express.json({ limit: config.PARTNER_KYC_BODY_LIMIT, strict: true }),
        ...guard.slice(1),
        rateLimit(kit.limiter, {
          bucket: 'partner-kyc-submit',
          limit: config.RATE_LIMIT_PARTNER_KYC_SUBMITS_PER_CLIENT,
          windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
          key: (_req, res) => getApiClient(res).clientId,
        }),
      ],
      request: {
        body: z
          .object({
            email: z.email().max(254),
            documentId: z.string().min(1).max(64),
            userFields: z.record(z.string().max(64), z.unknown()),
          })
          .meta({
            example: {
              email: 'user@example.com',
              documentId: '67da909b739fc481aa525c45',
              userFields: {
                first_name: 'John',
                last_name: 'Doe',
                id_number: '22200000001',
                dob: '2000-01-01T00:00:00.000Z',
              },
            },
          }),
      },
      responses: {
        200: {
          description: 'Successfully submitted KYC information',
          raw: json(z.object({ success: z.literal(true) }).meta({ example: { success: true } })),
        },
        400: {
          description:
            'VALIDATION_ERROR, UNKNOWN_DOCUMENT, UNSUPPORTED_COUNTRY, INVALID_USER_FIELDS (details: [{field, code, message}]; codes REQUIRED, UNKNOWN_FIELD, INVALID_TYPE, TOO_LONG, INVALID_DATE, INVALID_EMAIL, PATTERN_MISMATCH, PATTERN_TIMEOUT, INVALID_IMAGES)',
        },
        404: { description: 'USER_NOT_FOUND: call /api/user/kyc/status first' },
        ...common,
      },
      handler: async ({ body, res }) => {
        await submitPartnerKyc(commandDeps, getApiClient(res), body);
        return { bare: true, data: { success: true as const } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/user/kyc/limits',
      summary: 'May this user do a transaction of this amount? (partner API)',
      description:
        'Answers the tier the transaction would need (per transaction and over the rolling 30-day volume, see docs/partner-kyc.md), whether the passed tier covers it, and when not, the documents that would lift the user to it.',
      tags: ['Partner KYC'],
      security: ['clientId'],
      before: guard,
      request: {
        body: z
          .object({ email: z.email().max(254), direction: z.enum(DIRECTIONS), amount: z.number().min(0).max(1e15) })
          .meta({ example: { email: 'user@example.com', direction: 'onramp', amount: 50 } }),
      },
      responses: {
        200: {
          description: 'The tier needed and the documents that would lift the user to it',
          raw: json(
            z
              .object({
                allowed: z.boolean(),
                passedKycType: z.enum(KYC_TIERS),
                requiredKycType: z.enum(KYC_TIERS),
                requiredByAmount: z.enum(KYC_TIERS),
                requiredByVolume: z.enum(KYC_TIERS),
                volume30d: z.number(),
                documents: z.array(documentSchema),
              })
              .meta({
                example: {
                  allowed: false,
                  passedKycType: 'basic',
                  requiredKycType: 'advanced',
                  requiredByAmount: 'advanced',
                  requiredByVolume: 'advanced',
                  volume30d: 55,
                  documents: ngDocs.filter((d) => d.type === 'advanced').slice(0, 1),
                },
              }),
          ),
        },
        400: { description: 'VALIDATION_ERROR, UNSUPPORTED_COUNTRY' },
        404: { description: 'USER_NOT_FOUND' },
        ...common,
      },
      handler: async ({ body, res }) => ({
        bare: true,
        data: await checkPartnerKycLimits(commandDeps, getApiClient(res), body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/user/transactions/status',
      summary: 'A recorded transaction of your tenant, with its step-up hold (partner API)',
      tags: ['Partner KYC'],
      security: ['clientId'],
      before: guard,
      request: {
        body: z
          .object({ transactionId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) })
          .meta({ example: { transactionId: 'tx-2026-0001' } }),
      },
      responses: {
        200: {
          description: 'The transaction: recorded (allowed), held (waiting for a step-up), released or declined',
          raw: json(
            z.object({
              transactionId: z.string(),
              direction: z.enum(DIRECTIONS),
              amount: z.number(),
              currency: z.string(),
              createdAt: z.iso.datetime(),
              requiredKycType: z.enum(KYC_TIERS).nullable(),
              status: z.enum(['recorded', 'held', 'released', 'declined']),
            }),
          ),
        },
        404: { description: 'NOT_FOUND: no such transaction in your tenant' },
        ...common,
      },
      handler: async ({ body, res }) => {
        const client = getApiClient(res);
        // The key starts with the tenant id: another tenant's transaction is simply not found.
        const tx = await models.Transaction.findById(`${client.tenantId}:${body.transactionId}`).lean();
        if (!tx) throw notFound('Transaction');
        return {
          bare: true,
          data: {
            transactionId: tx.externalId,
            direction: tx.direction,
            amount: tx.amount,
            currency: tx.currency,
            createdAt: new Date(tx.createdAt).toISOString(),
            requiredKycType: tx.requiredTier ?? null,
            status: tx.status,
          },
        };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
