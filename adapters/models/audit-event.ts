import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * Append-only audit trail: who changed what about whom, from → to, why. Never updated or
 * deleted by the application (the model refuses updates), and it never holds PII values.
 */
const auditEventSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    at: { type: Date, required: true, default: () => new Date() },
    /** userId of the actor, or `system:<component>` / `service:<name>` for non-human actors. */
    actor: { type: String, required: true },
    subject: { type: String, required: true, index: true },
    tenantId: { type: String, default: null, index: true },
    action: { type: String, required: true },
    from: { type: Schema.Types.Mixed, default: null },
    to: { type: Schema.Types.Mixed, default: null },
    reason: { type: String, default: null },
    requestId: { type: String, default: null },
  },
  { collection: 'auditEvents', versionKey: false },
);
auditEventSchema.index({ tenantId: 1, at: -1 });

for (const op of [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
  'replaceOne',
] as const) {
  auditEventSchema.pre(op, () => {
    throw new Error('audit events are append-only');
  });
}

export type AuditEventDoc = InferSchemaType<typeof auditEventSchema>;
export type AuditEventInput = Omit<AuditEventDoc, '_id' | 'at'> & { at?: Date; _id?: string };

export function auditEventModel(conn: Connection) {
  return conn.model('AuditEvent', auditEventSchema);
}
