import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * One partner KYC submission (POST /api/user/kyc/submit). The user's fields — names, date of
 * birth, ID number, images — are sealed together with the field cipher (AAD = `_id`), so the
 * workflow carries only this record's id: no PII and no images in workflow history.
 */
const partnerKycSubmissionSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    userId: { type: String, required: true },
    clientId: { type: String, required: true },
    country: { type: String, required: true },
    catalogVersion: { type: Number, required: true },
    documentId: { type: String, required: true },
    documentType: { type: String, enum: ['basic', 'advanced'], required: true },
    /** Provider id/document type (e.g. BVN, PASSPORT). */
    documentValue: { type: String, required: true },
    fieldsSealed: { type: String, required: true },
    /** Last 3 characters of the ID number, for support and the status view; never the number. */
    idNumberLast3: { type: String, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'partnerKycSubmissions', versionKey: false },
);

export type PartnerKycSubmissionDoc = InferSchemaType<typeof partnerKycSubmissionSchema> & { _id: string };

export function partnerKycSubmissionModel(conn: Connection) {
  return conn.model('PartnerKycSubmission', partnerKycSubmissionSchema);
}
