import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { CASE_ACTIONS, CASE_KINDS } from '../../../domain/contracts/cases.contract';
import { MAX_STEP_EXTENSION_HOURS } from '../../../domain/contracts/onboarding.contract';
import { actOnCase } from '../../../use-cases/cases/act-on-case';
import { CaseCommandError } from '../../../use-cases/cases/case-errors';
import { setCaseSettings, showCaseSettings } from '../../../use-cases/cases/case-settings';
import { listCases } from '../../../use-cases/cases/list-cases';
import { webhookRedriver } from '../../../use-cases/cases/redrive-webhook';
import { showCase } from '../../../use-cases/cases/show-case';
import { getAuth } from '../auth/auth-context';
import type { AuthKit } from '../auth/auth-kit';
import type { ApiDeps } from '../deps';
import { AppError, badRequest } from '../http/app-error';
import { defineRoute, routesRouter } from '../http/route';
import { changeUserStatus } from '../users/change-user-status';
import { paged, pageOf, pageQuerySchema } from '../users/user-views';

const caseSchema = z
  .object({
    id: z.string(),
    kind: z.enum(CASE_KINDS),
    subjectType: z.string(),
    subjectId: z.string(),
    tenantId: z.string().nullable(),
    ownerUserId: z.string().nullable(),
    workflowId: z.string().nullable(),
    temporalUrl: z.string().nullable().meta({ description: 'The run in the Temporal Web UI (TEMPORAL_UI_URL)' }),
    open: z.boolean(),
    openedAt: z.string(),
    closedAt: z.string().nullable(),
    resolution: z.string().nullable().meta({ description: '`resolved`, `action:<name>` or `dismissed`' }),
    ageBucket: z.string(),
    why: z.object({
      step: z.string().nullable(),
      since: z.string().nullable(),
      lastProviderEvent: z.string().nullable(),
      attempts: z.number().nullable(),
      detail: z.string().nullable(),
    }),
    version: z.number().int(),
    pendingApproval: z
      .object({ requestedBy: z.string(), at: z.string(), reason: z.string().nullable() })
      .nullable()
      .meta({ description: 'Four eyes: an approve of a reversal waiting for a second compliance officer' }),
    actions: z.array(z.string()).meta({ description: 'What can be done now (empty when closed)' }),
  })
  .meta({ id: 'Case' });

const trailEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  subject: z.string(),
  action: z.string(),
  from: z.unknown(),
  to: z.unknown(),
  reason: z.string().nullable(),
  requestId: z.string().nullable(),
});

const actionSchema = z.enum([...CASE_ACTIONS, 'dismiss']);

/** A use-case refusal as the API's error envelope. */
async function answering<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CaseCommandError) throw new AppError(err.status, err.code, err.message, err.details);
    throw err;
  }
}

/**
 * Cases (docs/operations.md): the queue of things that need a person, and the audited actions on
 * them. Internal admins see every tenant; compliance officers, bank admins and auditors their own.
 */
export function caseRoutes(deps: ApiDeps, registry: OpenAPIRegistry, kit: AuthKit) {
  const now = () => deps.now?.() ?? new Date();
  const useCaseDeps = {
    models: deps.models,
    temporal: deps.temporal,
    config: deps.config,
    now,
    changeUserStatus: (change: Parameters<typeof changeUserStatus>[1]) => changeUserStatus(deps, change),
    redriveWebhook: webhookRedriver({ models: deps.models, temporal: deps.temporal, config: deps.config, now }),
  };
  const forbidden = {
    403: { description: 'INSUFFICIENT_ROLE (not compliance staff), FORBIDDEN_TENANT (another tenant)' },
  };
  const settingsSchema = z
    .object({ tenantId: z.string(), fourEyesReversals: z.boolean() })
    .meta({ id: 'TenantCaseSettings' });
  const routes = [
    // Before /cases/:caseId, so `settings` is not read as a case id.
    defineRoute({
      method: 'get',
      path: '/cases/settings',
      summary: "The tenant's case rules (four eyes on reversals of a rejection)",
      tags: ['Cases'],
      security: ['bearer'],
      before: [kit.requireUser],
      request: {
        query: z.object({ tenantId: z.uuid().optional().meta({ description: 'Internal admins: required' }) }),
      },
      responses: {
        200: { description: 'The settings', data: settingsSchema },
        404: { description: 'NOT_FOUND' },
        ...forbidden,
      },
      handler: async ({ query, res }) => ({
        data: await answering(() => showCaseSettings(useCaseDeps, getAuth(res), query.tenantId)),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/cases/settings',
      summary: "Set the tenant's case rules (its BANK_ADMIN or an internal admin; audited)",
      description:
        'fourEyesReversals: an approve that reverses a rejection (the person is `rejected`, or their Veriff decision on record is `declined`) ' +
        'needs a second COMPLIANCE_OFFICER: the first approve answers `awaitingSecondOfficer: true`, the same officer again is 403 SECOND_OFFICER_REQUIRED, another officer carries it out.',
      tags: ['Cases'],
      security: ['bearer'],
      before: [kit.requireUser],
      request: {
        body: z.object({
          tenantId: z.uuid().optional().meta({ description: 'Internal admins: required; staff: their own only' }),
          fourEyesReversals: z.boolean(),
        }),
      },
      responses: {
        200: { description: 'The settings now', data: settingsSchema },
        400: { description: 'VALIDATION_ERROR' },
        404: { description: 'NOT_FOUND' },
        403: { description: "INSUFFICIENT_ROLE (not the tenant's BANK_ADMIN), FORBIDDEN_TENANT (another tenant)" },
      },
      handler: async ({ body, req, res }) => ({
        data: await answering(() =>
          setCaseSettings(useCaseDeps, getAuth(res), {
            tenantId: body.tenantId,
            fourEyesReversals: body.fourEyesReversals,
            requestId: String(req.id),
          }),
        ),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/cases',
      summary: 'List cases (oldest first), by tenant, kind and age',
      tags: ['Cases'],
      security: ['bearer'],
      before: [kit.requireUser],
      request: {
        query: pageQuerySchema().extend({
          tenantId: z.uuid().optional().meta({ description: 'Internal admins: any tenant; staff: only their own' }),
          kind: z.enum(CASE_KINDS).optional(),
          state: z.enum(['open', 'closed']).default('open'),
          minAgeHours: z.coerce
            .number()
            .min(0)
            .max(24 * 365)
            .optional()
            .meta({ description: 'Opened at least this many hours ago' }),
        }),
      },
      responses: { 200: { description: 'One page of cases', data: pageOf(caseSchema) }, ...forbidden },
      handler: async ({ query, res }) => {
        const page = await answering(() => listCases(useCaseDeps, getAuth(res), query));
        return { data: paged(page.items, page.total, page.page, page.limit) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/cases/:caseId',
      summary: 'One case, with its audit trail (actions on it and changes of its subject)',
      tags: ['Cases'],
      security: ['bearer'],
      before: [kit.requireUser],
      request: { params: z.object({ caseId: z.string().min(1).max(200) }) },
      responses: {
        200: { description: 'The case', data: caseSchema.extend({ trail: z.array(trailEventSchema) }) },
        404: { description: 'NOT_FOUND' },
        ...forbidden,
      },
      handler: async ({ params, res }) => ({
        data: await answering(() => showCase(useCaseDeps, getAuth(res), params.caseId)),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/cases/:caseId/actions',
      summary: 'Act on a case through its owning workflow (audited, idempotent)',
      description:
        'approve/reject (kyc_review, kyc_late_decision; reject also kyc_resubmission) change the user status through the onboarding or account workflow; ' +
        'approve/reject on transaction_hold_expiring release or decline the held transaction now, through its hold workflow (decideHold update); ' +
        'retry/extend/cancel/resend go to the verification request workflow (resend: a reminder now, through its sendReminderNow update); extend_deadline and move_to_manual_review (kyc_resubmission) go to the onboarding workflow; ' +
        'on onboarding_overdue, resend (a new confirmation code, or the KYC step reminder now), extend_deadline and cancel (the onboarding is abandoned) go to the onboarding workflow (resendCode, sendStepReminderNow, extendStepDeadline, abandonOnboarding updates); ' +
        'on partner_kyc_rejected/_pending/_review, approve (a manual override; four eyes when the tenant asks), reject, retry (the provider step again), move_to_manual_review and cancel go to the partner KYC check workflow (decidePartnerKyc, retryPartnerKyc, movePartnerKycToManualReview, cancelPartnerKyc updates); ' +
        "redrive (webhook_unroutable, webhook_pending) sends the stored event again through the webhook intake's dispatch; " +
        'dismiss closes a case that has no workflow action (webhook_*, notification_failed, kyc_late_decision, workflow_task_failing: a failing run is fixed by a deploy, not by the product). ' +
        'The same Idempotency-Key repeats the first answer (`replayed: true`). A case whose subject moved on is a 409 with its current state.',
      tags: ['Cases'],
      security: ['bearer'],
      before: [kit.requireUser],
      request: {
        params: z.object({ caseId: z.string().min(1).max(200) }),
        headers: z.object({ 'idempotency-key': z.string().min(8).max(255) }),
        headersError: () =>
          badRequest('IDEMPOTENCY_KEY_REQUIRED', 'An Idempotency-Key header of 8-255 characters is required'),
        body: z.object({
          action: actionSchema,
          reason: z.string().trim().min(1).max(500).optional(),
          dueAt: z.iso.datetime().optional().meta({ description: '`extend`: the new due date' }),
          hours: z
            .number()
            .int()
            .min(1)
            .max(MAX_STEP_EXTENSION_HOURS)
            .optional()
            .meta({ description: "`extend_deadline`: hours added to the onboarding wait's end" }),
          expectedVersion: z
            .number()
            .int()
            .min(1)
            .optional()
            .meta({ description: 'The case version you saw; a changed case is refused' }),
        }),
      },
      responses: {
        200: {
          description: 'Done (or the stored answer of the same key)',
          data: z.object({
            action: z.string(),
            outcome: z.record(z.string(), z.unknown()),
            case: caseSchema,
            replayed: z.boolean(),
            awaitingSecondOfficer: z.boolean().optional().meta({
              description:
                'Four eyes: this approve of a reversal was recorded (audit `case.approve_requested`); another COMPLIANCE_OFFICER of the tenant must approve too',
            }),
          }),
        },
        400: { description: 'IDEMPOTENCY_KEY_REQUIRED, REASON_REQUIRED, INVALID_DUE_DATE, VALIDATION_ERROR' },
        404: { description: 'NOT_FOUND' },
        409: {
          description:
            'CASE_MOVED_ON (details.case is its current state), ' +
            'CASE_CLAIMED (another action on the case, under another key, is being carried out; details.case is its current state), ' +
            'ACTION_IN_PROGRESS (same key, still running), ' +
            'VERIFICATION_REQUEST_CLOSED, VERIFICATION_IN_PROGRESS, NOTHING_TO_RETRY, ONBOARDING_CLOSED, ' +
            'RESEND_LIMIT (onboarding_overdue resend: no more codes, or the cooldown; details.retryAfterSeconds), ' +
            'WEBHOOK_STILL_UNROUTABLE (redrive: the event still names no existing user; nothing was started)',
        },
        422: {
          description:
            'ACTION_NOT_ALLOWED (not offered for this kind), IDEMPOTENCY_KEY_REUSED (same key, other command)',
        },
        403: {
          description:
            'INSUFFICIENT_ROLE, FORBIDDEN_TENANT, SECOND_OFFICER_REQUIRED (four eyes: the officer who asked for this approve may not confirm it)',
        },
      },
      handler: async ({ params, headers, body, req, res }) => {
        const result = await answering(() =>
          actOnCase(useCaseDeps, getAuth(res), {
            caseId: params.caseId,
            action: body.action,
            reason: body.reason ?? null,
            dueAt: body.dueAt,
            hours: body.hours,
            expectedVersion: body.expectedVersion,
            idempotencyKey: headers['idempotency-key'],
            requestId: String(req.id),
          }),
        );
        return { data: result };
      },
    }),
  ];
  return routesRouter(registry, '', routes);
}
