import { type Connection, type InferSchemaType, Schema } from 'mongoose';

// A pipeline probe proves, end to end, that the API can start a workflow and that every worker
// process is polling its task queue and can write to the database. Operators trigger it on demand.
const hopSchema = new Schema(
  { workerIdentity: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const systemProbeSchema = new Schema(
  {
    _id: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    hops: { type: Map, of: hopSchema, default: {} },
    completedAt: { type: Date },
  },
  { collection: 'systemProbes', versionKey: false },
);

export type SystemProbeDoc = InferSchemaType<typeof systemProbeSchema>;

export function systemProbeModel(conn: Connection) {
  return conn.model('SystemProbe', systemProbeSchema);
}
