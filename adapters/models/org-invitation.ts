import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A bank's invitation for its own customers to self-register into its tenant as retail members
 * (seed 000: "org_id wires the user into an organization"). The code (`inv_<id>.<secret>`) is shown
 * once to the BANK_ADMIN who made it; only the SHA-256 digest of its secret is stored. `remaining`
 * counts uses left; a use is claimed by one conditional update (`remaining > 0` → `$inc -1`), which
 * is atomic on MongoDB and on our FerretDB build. `claimedBy` makes a retried registration's claim
 * count once.
 */
const orgInvitationSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true, index: true },
    secretDigest: { type: String, required: true },
    label: { type: String, default: null },
    maxUses: { type: Number, required: true },
    remaining: { type: Number, required: true },
    claimedBy: { type: [String], default: [] },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
  },
  {
    collection: 'orgInvitations',
    timestamps: { createdAt: true, updatedAt: false },
    versionKey: false,
    minimize: false,
  },
);

export type OrgInvitationDoc = InferSchemaType<typeof orgInvitationSchema> & { _id: string; createdAt: Date };

export function orgInvitationModel(conn: Connection) {
  return conn.model('OrgInvitation', orgInvitationSchema);
}
