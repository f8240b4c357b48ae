import { type Connection, Schema } from 'mongoose';

/**
 * Analytics read models (see docs/analytics.md). All three are written by ONE writer (the
 * analytics roller workflow), so read-modify-write on them is safe, and read by `_id` only.
 *
 * - counters: `_id` like `all:users`, `t:<tenant>:growth:2026`; `j` is the map key → count as one
 *   JSON string. FerretDB decodes a document field by field (a 5,000-key map took ~150 ms to read,
 *   the same map as one string ~15 ms), so the map travels packed. `m` (the map as fields) is
 *   still read from counters written before.
 * - projections: `_id` `<u|v|x>:<record id>`; `f` is the facts last folded into the counters.
 * - journal: at most one doc (`_id` 'current'), the batch being applied: its counters,
 *   projections and note ids. Applying it is idempotent (whole-document replaces), so a crash
 *   between "write counters" and "delete notes" is finished by the next round, never counted twice.
 */
const counterSchema = new Schema(
  { _id: { type: String, required: true }, j: { type: String }, m: { type: Schema.Types.Mixed } },
  {
    collection: 'analyticsCounters',
    versionKey: false,
    minimize: false,
  },
);
const projectionSchema = new Schema(
  { _id: { type: String, required: true }, f: { type: Schema.Types.Mixed, required: true } },
  {
    collection: 'analyticsProjections',
    versionKey: false,
    minimize: false,
  },
);
const journalSchema = new Schema(
  {
    _id: { type: String, required: true },
    notes: { type: [String], default: [] },
    counters: { type: Schema.Types.Mixed, default: {} },
    /** Projection id → facts, or null when the record is gone. */
    projections: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'analyticsJournal', versionKey: false, minimize: false },
);

export interface CounterDoc {
  _id: string;
  m: Record<string, number>;
}
export interface JournalDoc {
  _id: string;
  notes: string[];
  counters: Record<string, Record<string, number>>;
  projections: Record<string, unknown>;
}

export function analyticsCounterModel(conn: Connection) {
  return conn.model('AnalyticsCounter', counterSchema);
}
export function analyticsProjectionModel(conn: Connection) {
  return conn.model('AnalyticsProjection', projectionSchema);
}
export function analyticsJournalModel(conn: Connection) {
  return conn.model('AnalyticsJournal', journalSchema);
}
