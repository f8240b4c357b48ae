import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A partner's API client (seed 003 `x-client-id`). The client id is a bearer secret, so only its
 * SHA-256 digest is kept, plus a short prefix that lets operators tell clients apart.
 */
const apiClientSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    tenantId: { type: String, required: true, index: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    keyHash: { type: String, required: true, unique: true },
    keyPrefix: { type: String, required: true },
    /** POST /api/user/tokens is off unless an operator enables it for this client. */
    userTokensEnabled: { type: Boolean, default: false },
    /** /api/user/kyc/* (status, submit, limits, transactions) is off unless an operator enables it. */
    partnerKycEnabled: { type: Boolean, default: false },
    disabledAt: { type: Date, default: null },
  },
  { collection: 'apiClients', timestamps: true, versionKey: false },
);

export type ApiClientDoc = InferSchemaType<typeof apiClientSchema>;

export function apiClientModel(conn: Connection) {
  return conn.model('ApiClient', apiClientSchema);
}
