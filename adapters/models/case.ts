import { type Connection, type InferSchemaType, Schema } from 'mongoose';

import { CASE_KINDS } from '../../domain/contracts/cases.contract';

/**
 * One thing that needs a person (docs/operations.md). `_id` is `<kind>:<subjectId>`, so every
 * writer (the case sweep, an action's refresh) upserts the same record; a condition that comes back
 * after it was resolved reopens it. `checkedAt` is when the source was read for the last write: a
 * write from an older read never overwrites a newer one (the sweep and an action race safely).
 * The record holds ids and codes only, never PII.
 */
const caseSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: CASE_KINDS, required: true },
    subjectType: {
      type: String,
      enum: ['user', 'verificationRequest', 'webhookEvent', 'notification', 'transaction', 'workflowRun'],
      required: true,
    },
    subjectId: { type: String, required: true },
    tenantId: { type: String, default: null },
    /** The user the case is about (null for a webhook nobody could be found for). */
    ownerUserId: { type: String, default: null },
    /** The run that owns the subject and carries out actions on it. */
    workflowId: { type: String, default: null },
    open: { type: Boolean, required: true },
    openedAt: { type: Date, required: true },
    closedAt: { type: Date, default: null },
    /** `resolved` (the condition cleared) or `action:<name>` (an operator's action cleared it). */
    resolution: { type: String, default: null },
    why: {
      step: { type: String, default: null },
      since: { type: Date, default: null },
      lastProviderEvent: { type: String, default: null },
      attempts: { type: Number, default: null },
      detail: { type: String, default: null },
    },
    checkedAt: { type: Date, required: true },
    /** Bumped by every change: what an action saw is compared with it (409 when it moved on). */
    version: { type: Number, default: 1 },
    /**
     * The action acting on the case now (`<caseId>:<idempotency key>`), set by a compare-and-set on
     * `version` (adapters/cases/case-store.ts claimCase): one action at a time, whoever asks.
     */
    claim: { type: String, default: null },
    /** When the claim was taken: a claim older than the lease (a crashed API) may be taken over. */
    claimedAt: { type: Date, default: null },
    /**
     * Four eyes (use-cases/cases/four-eyes.ts): the first officer's approve of a reversal, waiting for
     * a second officer. Cleared when the case closes or reopens.
     */
    pendingApproval: {
      type: new Schema(
        {
          actor: { type: String, required: true },
          reason: { type: String, default: null },
          requestId: { type: String, default: null },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { collection: 'cases', versionKey: false, minimize: false },
);
// The list's filters: open cases, optionally of one tenant and kind, oldest first.
caseSchema.index({ open: 1, tenantId: 1, kind: 1, openedAt: 1 });
caseSchema.index({ open: 1, kind: 1, openedAt: 1 });
caseSchema.index({ open: 1, openedAt: 1 });

export type CaseDoc = InferSchemaType<typeof caseSchema> & { _id: string };

export function caseModel(conn: Connection) {
  return conn.model('Case', caseSchema);
}

/**
 * One operator command on a case, keyed by the caller's idempotency key: `_id` is
 * `<caseId>:<key>`, so a repeated command finds the first one (and its answer) instead of acting twice.
 */
const caseActionSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    action: { type: String, required: true },
    actor: { type: String, required: true },
    reason: { type: String, default: null },
    requestId: { type: String, default: null },
    /** A digest of the command's parameters: the same key with other parameters is refused. */
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['running', 'done', 'failed'], default: 'running' },
    result: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'caseActions', versionKey: false, minimize: false },
);

export type CaseActionDoc = InferSchemaType<typeof caseActionSchema> & { _id: string };

export function caseActionModel(conn: Connection) {
  return conn.model('CaseAction', caseActionSchema);
}

/**
 * The list's read model: for each (tenant or `*`, kind or `*`), the open cases (opened at, id),
 * oldest first. FerretDB answers only `_id` lookups without a scan,
 * so GET /cases reads one of these by `_id` and then its page of cases by `_id`. Rebuilt from the
 * open cases at the end of every sweep pass (the sweep is its only writer); the case records stay
 * the truth, so an entry closed since the pass is dropped when its page is read.
 */
const caseQueueSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `<openedAtMs>|<caseId>` lines, oldest first, in one string (see case-queues.ts). */
    entries: { type: String, default: '' },
    builtAt: { type: Date, required: true },
  },
  { collection: 'caseQueues', versionKey: false, minimize: false },
);

export type CaseQueueEntry = [openedAtMs: number, caseId: string];
export type CaseQueueDoc = { _id: string; entries: string; builtAt: Date };

export function caseQueueModel(conn: Connection) {
  return conn.model('CaseQueue', caseQueueSchema);
}
