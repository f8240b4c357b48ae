import { z } from 'zod';

import type { VerificationRequestDoc } from '../../../adapters/models/verification-request';
import { IDENTITY_NUMBER_TYPES, VERIFICATION_STATUSES } from '../../../domain/contracts/verification-request.contract';

/** Numbers are only ever shown as their last 3 digits. */
export const maskNumber = (last3: string) => `********${last3}`;

export const verificationRequestSchema = z
  .object({
    requestId: z.uuid(),
    userId: z.string(),
    tenantId: z.string().nullable(),
    types: z.array(z.enum(IDENTITY_NUMBER_TYPES)),
    reason: z.string().nullable(),
    status: z.enum(VERIFICATION_STATUSES),
    statusAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    overdue: z.boolean(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    submissions: z.number().int(),
    maxSubmissions: z.number().int(),
    canResubmit: z.boolean(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    numbers: z
      .object({ bvn: z.string().nullable(), nin: z.string().nullable() })
      .meta({ description: 'Masked to the last 3 digits' }),
    transitions: z.array(
      z.object({ status: z.enum(VERIFICATION_STATUSES), at: z.iso.datetime(), reason: z.string().nullable() }),
    ),
  })
  .meta({ id: 'VerificationRequest' });

export type VerificationRequestView = z.infer<typeof verificationRequestSchema>;

export function toVerificationRequestView(doc: VerificationRequestDoc, now: Date): VerificationRequestView {
  const awaiting =
    doc.status === 'created' || doc.status === 'notified' || (doc.status === 'failed' && doc.canResubmit);
  return {
    requestId: doc._id,
    userId: doc.userId,
    tenantId: doc.tenantId ?? null,
    types: doc.types as VerificationRequestView['types'],
    reason: doc.reason ?? null,
    status: doc.status as VerificationRequestView['status'],
    statusAt: doc.statusAt.toISOString(),
    dueAt: doc.dueAt.toISOString(),
    overdue: awaiting && doc.dueAt.getTime() < now.getTime(),
    createdBy: doc.createdBy,
    createdAt: doc.createdAt.toISOString(),
    submissions: doc.submissions,
    maxSubmissions: doc.maxSubmissions,
    canResubmit: doc.canResubmit,
    failure: doc.failure?.code ? { code: doc.failure.code, message: doc.failure.message ?? '' } : null,
    numbers: {
      bvn: doc.numbers?.bvn ? maskNumber(doc.numbers.bvn.last3) : null,
      nin: doc.numbers?.nin ? maskNumber(doc.numbers.nin.last3) : null,
    },
    transitions: (doc.transitions ?? []).map((t) => ({
      status: t.status as VerificationRequestView['status'],
      at: t.at.toISOString(),
      reason: t.reason ?? null,
    })),
  };
}

/** A stuck-list entry: the request plus since when and for how long it has been waiting. */
export const stuckRequestSchema = verificationRequestSchema
  .extend({
    stuckSince: z.iso.datetime().meta({ description: 'dueAt for overdue requests, statusAt for stuck ones' }),
    stuckForSeconds: z.number().int().min(0),
  })
  .meta({ id: 'StuckVerificationRequest' });

export function withStuckFor(v: VerificationRequestView, since: string, now: Date): z.infer<typeof stuckRequestSchema> {
  return {
    ...v,
    stuckSince: since,
    stuckForSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 1000)),
  };
}
