import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

import {
  IDENTITY_NUMBER_TYPES,
  VERIFICATION_STATUSES,
  type VerificationStatus,
} from '../../domain/contracts/verification-request.contract';
/** Waiting for the user: a submission is accepted in these (failed only while canResubmit). */
export const AWAITING_STATUSES: VerificationStatus[] = ['created', 'notified', 'failed'];
export const IN_PROGRESS_STATUSES: VerificationStatus[] = ['submitted', 'verifying'];

const transitionSchema = new Schema(
  {
    status: { type: String, enum: VERIFICATION_STATUSES, required: true },
    at: { type: Date, required: true },
    reason: { type: String, default: null },
  },
  { _id: false },
);
// Only the sealed value (field cipher, AAD = request id) and the last 3 digits are ever stored.
const sealedNumberSchema = new Schema(
  { sealed: { type: String, required: true }, last3: { type: String, required: true } },
  { _id: false },
);

/**
 * A BVN/NIN verification request. The workflow `verification-request-<_id>` owns every status
 * change; each one is appended to `transitions` with its time. `lockBvn`/`lockNin` hold the user
 * id while the request is open (and `closed:<id>` / `none:<id>` otherwise): their unique indexes
 * are what refuses a second open request of the same type for the same user.
 */
const verificationRequestSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    tenantId: { type: String, default: null, index: true },
    userId: { type: String, required: true, index: true },
    types: { type: [{ type: String, enum: IDENTITY_NUMBER_TYPES }], required: true },
    reason: { type: String, default: null },
    dueAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    status: { type: String, enum: VERIFICATION_STATUSES, default: 'created', index: true },
    statusAt: { type: Date, required: true },
    transitions: { type: [transitionSchema], default: [] },
    /** Workflow step counter of the last applied transition: makes retried activities no-ops. */
    lastSeq: { type: Number, default: 0 },
    submissions: { type: Number, default: 0 },
    maxSubmissions: { type: Number, required: true },
    canResubmit: { type: Boolean, default: false },
    numbers: { bvn: { type: sealedNumberSchema, default: null }, nin: { type: sealedNumberSchema, default: null } },
    failure: { type: new Schema({ code: String, message: String }, { _id: false }), default: null },
    lockBvn: { type: String, required: true, unique: true },
    lockNin: { type: String, required: true, unique: true },
  },
  { collection: 'verificationRequests', timestamps: true, versionKey: false, minimize: false },
);
verificationRequestSchema.index({ tenantId: 1, status: 1, dueAt: 1 });

export type VerificationRequestDoc = InferSchemaType<typeof verificationRequestSchema> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
};

export const openLock = (userId: string) => userId;
export const closedLock = (requestId: string) => `closed:${requestId}`;
export const unusedLock = (requestId: string) => `none:${requestId}`;

export function verificationRequestModel(conn: Connection) {
  return conn.model('VerificationRequest', verificationRequestSchema);
}
