import type { CaseKind } from '../../domain/contracts/cases.contract';
import { notifyWorkflowId } from '../../domain/contracts/notify.contract';
import { notifyBatchWorkflowId } from '../../domain/contracts/notify-batch.contract';
import { onboardingWorkflowId } from '../../domain/contracts/onboarding.contract';
import { verificationRequestWorkflowId } from '../../domain/contracts/verification-request.contract';
import type { Models } from '../models';
import { overdueFilter, stuckFilter } from '../verification-queries';
import type { CaseObservation, CaseSource, SourceContext } from './case-source';
import { ONBOARDING_CASE_SOURCES } from './onboarding-sources';
import { PARTNER_KYC_CASE_SOURCES } from './partner-kyc-sources';
import { TRANSACTION_CASE_SOURCES } from './transaction-sources';
import { VISIBILITY_CASE_SOURCES, visibilitySourceFor } from './visibility-sources';

export const caseId = (kind: CaseKind, subjectId: string) => `${kind}:${subjectId}`;

const userProjection = { _id: 1, tenantId: 1, status: 1, kyc: 1, updatedAt: 1 } as const;
const requestProjection = {
  _id: 1,
  tenantId: 1,
  userId: 1,
  status: 1,
  statusAt: 1,
  dueAt: 1,
  submissions: 1,
  failure: 1,
} as const;

const veriffCase =
  (kind: CaseKind, step: string) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a lean document of the source's own shape
  (u: any): CaseObservation => ({
    kind,
    subjectType: 'user',
    subjectId: u._id,
    tenantId: u.tenantId ?? null,
    ownerUserId: u._id,
    workflowId: onboardingWorkflowId(u._id),
    why: {
      step,
      since: u.updatedAt ?? null,
      lastProviderEvent: `veriff:${u.kyc?.veriff?.status}`,
      attempts: u.kyc?.veriff?.resubmissions ?? 0,
      detail: u.kyc?.veriff?.reason ?? null,
    },
  });

const requestCase =
  (kind: CaseKind) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a lean document of the source's own shape
  (r: any): CaseObservation => ({
    kind,
    subjectType: 'verificationRequest',
    subjectId: r._id,
    tenantId: r.tenantId ?? null,
    ownerUserId: r.userId,
    workflowId: verificationRequestWorkflowId(r._id),
    why: {
      step: r.status,
      since: r.statusAt ?? null,
      lastProviderEvent: r.failure?.code ?? null,
      attempts: r.submissions ?? 0,
      detail: kind === 'verification_overdue' ? `due ${new Date(r.dueAt).toISOString()}` : (r.failure?.message ?? null),
    },
  });

const webhookCase =
  (kind: CaseKind) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a lean document of the source's own shape
  (e: any): CaseObservation => ({
    kind,
    subjectType: 'webhookEvent',
    subjectId: e._id,
    // The event names no tenant until it is routed: only internal admins see these.
    tenantId: null,
    ownerUserId: null,
    workflowId: e.workflowId ?? null,
    why: {
      step: e.unroutable ? 'unroutable' : 'pending_signal',
      since: e.receivedAt,
      lastProviderEvent: `${e.provider}:${e.eventType}`,
      attempts: null,
      detail: null,
    },
  });

export const CASE_SOURCES: CaseSource[] = [
  {
    // Veriff asked for a human decision: the onboarding waits in awaiting_kyc_decision.
    kind: 'kyc_review',
    model: (m) => m.User,
    filter: () => ({ 'kyc.veriff.status': 'review', status: 'pending_verification' }),
    projection: userProjection,
    observe: veriffCase('kyc_review', 'awaiting_kyc_decision'),
  },
  {
    // Veriff asked the user to resubmit; the onboarding waits for them in awaiting_kyc_submission.
    kind: 'kyc_resubmission',
    model: (m) => m.User,
    filter: () => ({
      'kyc.veriff.status': 'resubmission_requested',
      status: { $in: ['not_verified', 'pending_verification'] },
    }),
    projection: userProjection,
    observe: veriffCase('kyc_resubmission', 'awaiting_kyc_submission'),
  },
  {
    // The lookup failed (mismatch or provider out of retries) and the user may submit again before the due date.
    kind: 'verification_failed',
    model: (m) => m.VerificationRequest,
    filter: ({ now }) => ({ status: 'failed', canResubmit: true, dueAt: { $gte: now } }),
    projection: requestProjection,
    observe: requestCase('verification_failed'),
  },
  {
    kind: 'verification_overdue',
    model: (m) => m.VerificationRequest,
    filter: ({ now }) => overdueFilter(now),
    projection: requestProjection,
    observe: requestCase('verification_overdue'),
  },
  {
    kind: 'verification_stuck',
    model: (m) => m.VerificationRequest,
    filter: ({ now, stuckAfterMinutes }) => stuckFilter(now, stuckAfterMinutes),
    projection: requestProjection,
    observe: requestCase('verification_stuck'),
  },
  {
    kind: 'webhook_unroutable',
    model: (m) => m.WebhookEvent,
    filter: () => ({ unroutable: true }),
    projection: { _id: 1, provider: 1, eventType: 1, workflowId: 1, receivedAt: 1, unroutable: 1 },
    observe: webhookCase('webhook_unroutable'),
  },
  {
    // Acknowledged, never signalled, and older than the API's sweeper should ever leave one.
    kind: 'webhook_pending',
    model: (m) => m.WebhookEvent,
    filter: ({ now, webhookPendingMinutes }) => ({
      signaledAt: null,
      unroutable: false,
      receivedAt: { $lt: new Date(now.getTime() - webhookPendingMinutes * 60_000) },
    }),
    projection: { _id: 1, provider: 1, eventType: 1, workflowId: 1, receivedAt: 1, unroutable: 1 },
    observe: webhookCase('webhook_pending'),
  },
  {
    // Every channel failed: the user never got the message.
    kind: 'notification_failed',
    model: (m) => m.Notification,
    filter: () => ({ status: 'failed' }),
    projection: { _id: 1, userId: 1, event: 1, completedAt: 1, updatedAt: 1, batchId: 1 },
    observe: (n) => ({
      kind: 'notification_failed',
      subjectType: 'notification',
      subjectId: n._id,
      tenantId: null, // filled from the user (withTenants)
      ownerUserId: n.userId,
      // A bulk message has no run of its own: its batch's run is where it was delivered.
      workflowId: n.batchId ? notifyBatchWorkflowId(n.batchId) : notifyWorkflowId(n._id),
      why: {
        step: 'failed',
        since: n.completedAt ?? n.updatedAt ?? null,
        lastProviderEvent: null,
        attempts: null,
        detail: n.event,
      },
    }),
  },
  ...ONBOARDING_CASE_SOURCES,
  ...TRANSACTION_CASE_SOURCES,
  ...PARTNER_KYC_CASE_SOURCES,
];

export const sourceFor = (kind: CaseKind): CaseSource => CASE_SOURCES.find((s) => s.kind === kind)!;

/** Every kind a source finds, the database's and Temporal's. */
export const SOURCED_KINDS: CaseKind[] = [...CASE_SOURCES, ...VISIBILITY_CASE_SOURCES].map((s) => s.kind);

/** Observations whose tenant comes from their owner (notifications): one read of the owners. */
export async function withTenants(models: Pick<Models, 'User'>, obs: CaseObservation[]): Promise<CaseObservation[]> {
  const need = [
    ...new Set(obs.filter((o) => o.subjectType === 'notification' && o.ownerUserId).map((o) => o.ownerUserId!)),
  ];
  if (need.length === 0) return obs;
  const users = await models.User.find({ _id: { $in: need } }, { tenantId: 1 }).lean();
  const tenantOf = new Map(users.map((u) => [u._id as string, (u.tenantId as string | null) ?? null]));
  return obs.map((o) =>
    o.subjectType === 'notification' && o.ownerUserId ? { ...o, tenantId: tenantOf.get(o.ownerUserId) ?? null } : o,
  );
}

/** The subjects among `subjectIds` that still match the kind's filter. */
export async function recheck(
  models: Models,
  kind: CaseKind,
  subjectIds: string[],
  ctx: SourceContext,
): Promise<CaseObservation[]> {
  if (subjectIds.length === 0) return [];
  const visible = visibilitySourceFor(kind);
  if (visible) {
    if (!ctx.temporal) throw new Error(`Re-checking ${kind} cases needs a Temporal client`);
    return visible.recheck(ctx.temporal, subjectIds, ctx);
  }
  const src = sourceFor(kind);
  const docs = await src
    .model(models)
    .find({ ...src.filter(ctx), _id: { $in: subjectIds } }, src.projection)
    .lean();
  return withTenants(
    models,
    docs.map((d) => src.observe(d, ctx)),
  );
}
