import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

// Organizations are the tenants: seed 000's org and seed 002's tenant are the same record.
const organizationSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    slug: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 64 },
    logoUrl: { type: String, default: null },
    primaryColor: { type: String, default: null },
    /** The user who registered it with `org_name` (its first BANK_ADMIN); null when made by ops. */
    createdBy: { type: String, default: null },
    /** Per-tenant behaviour; absent keys fall back to service defaults. */
    settings: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'organizations', timestamps: true, versionKey: false },
);

/** The tenant's case rules (`settings.cases`, set by its bank admin through PUT /cases/settings). */
export interface TenantCaseSettings {
  /** A reversal of a rejection (docs/operations.md) needs a second compliance officer to confirm it. */
  fourEyesReversals: boolean;
}

export function caseSettingsOf(org: { settings?: unknown } | null | undefined): TenantCaseSettings {
  const cases = (org?.settings as { cases?: Partial<TenantCaseSettings> } | undefined)?.cases;
  return { fourEyesReversals: cases?.fourEyesReversals === true };
}

export type OrganizationDoc = InferSchemaType<typeof organizationSchema>;

export function organizationModel(conn: Connection) {
  return conn.model('Organization', organizationSchema);
}
