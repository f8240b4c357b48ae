import { randomUUID } from 'node:crypto';

import { type Connection, type InferSchemaType, Schema } from 'mongoose';

import {
  ID_TYPES,
  KYC_LEVELS,
  STAFF_ROLES,
  USER_ROLES,
  USER_STATUSES,
  USER_TYPES,
} from '../../domain/vocabulary/users';

const addressSchema = new Schema(
  { line1: String, line2: String, city: String, state: String, postalCode: String, country: String },
  { _id: false },
);

// ID document numbers are PII: only the sealed value (field cipher) and the last 3 digits are stored.
const idDocumentSchema = new Schema(
  {
    type: { type: String, enum: ID_TYPES, required: true },
    numberSealed: { type: String, required: true },
    numberLast3: { type: String, required: true },
    issuingCountry: { type: String },
    expiresOn: { type: String },
  },
  { _id: false },
);

/** One user store for everyone: retail users, tenant staff and internal admins. */
const userSchema = new Schema(
  {
    _id: { type: String, default: () => randomUUID() },
    /** Organization (tenant) id; null for retail users without an org and for internal admins. */
    tenantId: { type: String, default: null, index: true },
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, default: null },
    firstName: { type: String, default: '' },
    lastName: { type: String, default: '' },
    phone: { type: String, default: null },
    country: { type: String, default: null },
    /** ISO date sealed with the field cipher (adapters/identity/date-of-birth.ts); never stored in clear. */
    dateOfBirthSealed: { type: String, default: null },
    /** Set when an identity check matched the date of birth: from then on the user cannot change it. */
    dateOfBirthVerifiedAt: { type: Date, default: null },
    address: { type: addressSchema, default: null },
    idDocuments: { type: [idDocumentSchema], default: [] },
    status: { type: String, enum: USER_STATUSES, default: 'not_verified', index: true },
    /** Set while status is `inactive`: reactivation restores it (isActive ⇔ status !== 'inactive'). */
    statusBeforeDeactivation: { type: String, enum: [...USER_STATUSES, null], default: null },
    role: { type: String, enum: USER_ROLES, default: 'retail' },
    userType: { type: String, enum: USER_TYPES, default: 'user' },
    staffRole: { type: String, enum: [...STAFF_ROLES, null], default: null },
    kycLevel: { type: String, enum: KYC_LEVELS, default: 'none' },
    /** Keyed digest of the self-registration request that set the details (a retry of it matches). */
    registrationFingerprint: { type: String, default: null },
    /** Set by the onboarding workflow when the emailed code is confirmed. */
    emailVerifiedAt: { type: Date, default: null },
    /** Provider-side KYC state, one sub-object per provider (veriff, bridge, identityNumbers …). */
    kyc: { type: Schema.Types.Mixed, default: {} },
    timezone: { type: String, default: 'Africa/Lagos' },
    locale: { type: String, default: 'en' },
    /** Digest of the set-password link whose redemption wrote the password (password-setup.ts): a retry of it after a failed write completes it once. */
    passwordSetupDigest: { type: String, default: null },
    /** Bumped on deactivation, role or status change: tokens carrying an older value stop working. */
    tokenVersion: { type: Number, default: 0 },
    lastLoginAt: { type: Date, default: null },
    /** Last sign-in or authenticated API call, written at most once per UTC day (active users). */
    lastActiveAt: { type: Date, default: null },
    // Funnel milestones (first time reached), for analytics; set by the onboarding activities.
    kycStartedAt: { type: Date, default: null },
    kycApprovedAt: { type: Date, default: null },
    termsAcceptedAt: { type: Date, default: null },
    activatedAt: { type: Date, default: null },
    /** The last status transition applied (its audit event id) and when: retries of it change nothing. */
    lastTransitionId: { type: String, default: null },
    lastTransitionAt: { type: Date, default: null },
    /**
     * Bumped by every write (adapters/models/user-writes.ts): a decision taken on the record is
     * written only if this is still the value it read (compare-and-set, one write, no lock).
     */
    writeRev: { type: Number, default: 0 },
  },
  { collection: 'users', timestamps: true, versionKey: false, minimize: false },
);
userSchema.index({ tenantId: 1, staffRole: 1 });
// Bridge webhooks name the KYC link or the customer; these find the user they belong to.
userSchema.index({ 'kyc.bridge.kycLinkId': 1 }, { sparse: true });
userSchema.index({ 'kyc.bridge.customerId': 1 }, { sparse: true });
// The case sweep finds onboardings waiting for a person by Veriff's last word (docs/operations.md).
userSchema.index({ 'kyc.veriff.status': 1 }, { sparse: true });
// ...and late Veriff decisions that disagree with the status (adapters/cases/onboarding-sources.ts).
userSchema.index({ 'kyc.veriff.lateDecision.needsReview': 1 }, { sparse: true });

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: string; createdAt: Date; updatedAt: Date };

export function userModel(conn: Connection) {
  return conn.model('User', userSchema);
}

export type UserModel = ReturnType<typeof userModel>;
