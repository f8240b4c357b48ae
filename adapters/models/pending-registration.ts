import { type Connection, type InferSchemaType, Schema } from 'mongoose';

/**
 * How long a pending registration may wait for its run. The run's first activity reads it within
 * seconds of the start; one left longer belongs to a start that never happened (Temporal out of
 * reach, issue 22) or a crash between the insert and the start, and would keep a password hash
 * forever. FerretDB 1.x has no TTL indexes, so expired ones are swept (docs/architecture.md).
 */
export const PENDING_REGISTRATION_TTL_MS = 24 * 3_600_000;

/**
 * A registration request waiting for its onboarding workflow to create the user. The API writes it
 * (with the argon2 hash) before it starts the workflow; the workflow's first activity reads it by
 * `_id` and deletes it once the user exists. So the password hash, names, email and phone never
 * enter Temporal: the workflow input carries only the user id and the request fingerprint.
 * `_id` = `<userId>.<requestFingerprint>`: a retried request finds its own record, a different
 * request for the same email gets a different one (and is refused by the workflow).
 */
const pendingRegistrationSchema = new Schema(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    passwordHash: { type: String, required: true },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    phone: { type: String, default: null },
    country: { type: String, default: null },
    org: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
  },
  {
    collection: 'pendingRegistrations',
    versionKey: false,
    statics: {
      /** Deletes pending registrations older than PENDING_REGISTRATION_TTL_MS at `now`, except `keep`; how many went. */
      async sweepExpired(now: Date, keep?: string): Promise<number> {
        const filter: Record<string, unknown> = {
          createdAt: { $lt: new Date(now.getTime() - PENDING_REGISTRATION_TTL_MS) },
        };
        if (keep) filter._id = { $ne: keep };
        const { deletedCount } = await this.deleteMany(filter);
        return deletedCount ?? 0;
      },
    },
  },
);

export type PendingRegistrationDoc = InferSchemaType<typeof pendingRegistrationSchema>;

export const pendingRegistrationId = (userId: string, requestFingerprint: string) => `${userId}.${requestFingerprint}`;

export function pendingRegistrationModel(conn: Connection) {
  return conn.model('PendingRegistration', pendingRegistrationSchema);
}
