import { randomUUID } from 'node:crypto';

import type { Client } from '@temporalio/client';

import { noteAnalyticsChange } from '../../adapters/analytics/analytics-outbox';
import type { ProcessConfig } from '../../adapters/config';
import type { Models } from '../../adapters/models';
import { isDuplicateKeyError } from '../../adapters/models/duplicate-key';
import { openLock, unusedLock, type VerificationRequestDoc } from '../../adapters/models/verification-request';
import {
  IDENTITY_NUMBER_TYPES,
  type IdentityNumberType,
  VERIFICATION_REQUEST_WORKFLOW,
  type VerificationRequestInput,
  verificationRequestWorkflowId,
  verificationTypeKeyword,
} from '../../domain/contracts/verification-request.contract';
import { resolveVerificationSettings } from '../../domain/rules/verification-settings';
import { SA } from '../../domain/search-attributes';
import { taskQueues } from '../../domain/task-queues';
import { badRequest, conflict, notFound } from '../app-error';

export interface CreateVerificationRequestDeps {
  config: ProcessConfig<'api'>;
  models: Models;
  temporal: Client;
  now: () => Date;
}

/** Who asks: a staff member (their tenant only) or an internal admin or service (every tenant). */
export interface VerificationRequester {
  /** The user id, or `service:<name>`, for the record and the audit trail. */
  actor: string;
  allTenants: boolean;
  tenantId: string | null;
}

export interface VerificationRequestOrder {
  userId: string;
  types: IdentityNumberType[];
  reason?: string;
  /** ISO date-time; default: the tenant's due days from now. */
  dueAt?: string;
}

/**
 * Asks a user for their BVN and/or NIN: the record (holding the user's open-request lock per number
 * type, so a second open request of a type is a duplicate key), then its workflow, then the audit
 * event. A workflow that cannot start takes its record with it, so no lock is held forever.
 */
export async function createVerificationRequest(
  deps: CreateVerificationRequestDeps,
  by: VerificationRequester,
  order: VerificationRequestOrder,
  audit: { requestId: string },
): Promise<VerificationRequestDoc> {
  const { models, config, temporal } = deps;
  const user = await models.User.findById(order.userId, { tenantId: 1 }).lean();
  if (!user || (!by.allTenants && (user.tenantId ?? null) !== by.tenantId)) throw notFound('User');
  const tenantId = user.tenantId ?? null;
  const org = tenantId ? await models.Organization.findById(tenantId, { settings: 1 }).lean() : null;
  const settings = resolveVerificationSettings(config, org?.settings);
  const createdAt = deps.now();
  const dueAt = order.dueAt ? new Date(order.dueAt) : new Date(createdAt.getTime() + settings.dueDays * 86_400_000);
  if (dueAt.getTime() < createdAt.getTime() + 3_600_000 || dueAt.getTime() > createdAt.getTime() + 90 * 86_400_000) {
    throw badRequest('INVALID_DUE_DATE', 'dueAt must be between 1 hour and 90 days from now');
  }
  const requestId = randomUUID();
  const has = (t: IdentityNumberType) => order.types.includes(t);
  let doc;
  try {
    doc = await models.VerificationRequest.create({
      _id: requestId,
      tenantId,
      userId: order.userId,
      types: IDENTITY_NUMBER_TYPES.filter(has),
      reason: order.reason ?? null,
      dueAt,
      createdBy: by.actor,
      status: 'created',
      statusAt: createdAt,
      transitions: [{ status: 'created', at: createdAt, reason: null }],
      maxSubmissions: settings.maxSubmissions,
      lockBvn: has('bvn') ? openLock(order.userId) : unusedLock(requestId),
      lockNin: has('nin') ? openLock(order.userId) : unusedLock(requestId),
    });
  } catch (err) {
    if (isDuplicateKeyError(err)) {
      throw conflict(
        'VERIFICATION_REQUEST_ALREADY_OPEN',
        'This user already has an open request for one of these numbers',
      );
    }
    throw err;
  }
  await noteAnalyticsChange(models, 'verification-request', requestId);
  const input: VerificationRequestInput = {
    requestId,
    userId: order.userId,
    tenantId,
    types: doc.types as VerificationRequestInput['types'],
    createdAt: createdAt.toISOString(),
    dueAt: dueAt.toISOString(),
  };
  try {
    await temporal.workflow.start(VERIFICATION_REQUEST_WORKFLOW, {
      taskQueue: taskQueues(config.TASK_QUEUE_PREFIX).onboarding,
      workflowId: verificationRequestWorkflowId(requestId),
      args: [input],
      typedSearchAttributes: [
        { key: SA.TenantId, value: tenantId ?? 'none' },
        { key: SA.VerificationStatus, value: 'created' },
        { key: SA.VerificationType, value: verificationTypeKeyword(input.types) },
        { key: SA.DueAt, value: dueAt },
      ],
    });
  } catch (err) {
    // Without its workflow the record would hold the user's lock forever.
    await models.VerificationRequest.deleteOne({ _id: requestId });
    throw err;
  }
  await models.AuditEvent.create({
    actor: by.actor,
    subject: order.userId,
    tenantId,
    action: 'verification_request.created',
    from: null,
    to: 'created',
    reason: order.reason ?? null,
    requestId: audit.requestId,
  });
  return doc.toObject() as VerificationRequestDoc;
}
