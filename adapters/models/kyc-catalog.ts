import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * A country's document catalog and tier rules as an operator stored them (ops CLI). Versions are
 * immutable: a change inserts `<country>:<version>` (the deterministic `_id` makes two operators
 * racing for the same version one insert and one duplicate-key error). The highest version of a
 * country wins over the built-in catalog (domain/partner-kyc/catalogs).
 */
const kycCatalogSchema = new Schema(
  {
    _id: { type: String, required: true },
    country: { type: String, required: true },
    version: { type: Number, required: true },
    /** The catalog JSON exactly as it passed parseCatalog ("Infinity" as a string). */
    catalog: { type: Schema.Types.Mixed, required: true },
    actor: { type: String, required: true },
    reason: { type: String, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'kycCatalogs', versionKey: false, minimize: false },
);

export type KycCatalogDoc = InferSchemaType<typeof kycCatalogSchema> & { _id: string };
export const kycCatalogKey = (country: string, version: number) => `${country}:${version}`;

export function kycCatalogModel(conn: Connection) {
  return conn.model('KycCatalog', kycCatalogSchema);
}
