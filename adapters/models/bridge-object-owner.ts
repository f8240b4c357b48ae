import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * Which user a Bridge object belongs to, keyed `kyc_link:<id>` or `customer:<id>`: Bridge
 * webhooks name the object, and on FerretDB only an exact `{_id}` filter avoids decoding every
 * user (the same ids are on the user under kyc.bridge, which stays the record). Written once,
 * when the onboarding records the link; never updated.
 */
const bridgeObjectOwnerSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
  },
  { collection: 'bridgeObjectOwners', versionKey: false },
);

export type BridgeObjectOwnerDoc = InferSchemaType<typeof bridgeObjectOwnerSchema>;
export const bridgeObjectOwnerId = (kind: 'kyc_link' | 'customer', id: string) => `${kind}:${id}`;

export function bridgeObjectOwnerModel(conn: Connection) {
  return conn.model('BridgeObjectOwner', bridgeObjectOwnerSchema);
}
