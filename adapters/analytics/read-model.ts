import {
  contribute,
  type CounterDelta,
  type Facts,
  keyPart,
  toMilli,
  type TransactionFacts,
  type UserFacts,
  type VerificationFacts,
} from '../../domain/rules/analytics-facts';
import { forEachBounded } from '../bounded-parallel';
import type { Models } from '../models';
import type { TransactionDoc } from '../models/transaction';
import type { UserDoc } from '../models/user';
import type { VerificationRequestDoc } from '../models/verification-request';
import type { AnalyticsChangeKind } from './analytics-outbox';

export type ReadModelModels = Pick<
  Models,
  | 'AnalyticsOutbox'
  | 'AnalyticsCounter'
  | 'AnalyticsProjection'
  | 'AnalyticsJournal'
  | 'User'
  | 'VerificationRequest'
  | 'Transaction'
>;

const ms = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : null);

export function userFactsOf(u: UserDoc): UserFacts {
  // Partner KYC (seed 003) reports the passed tier as the user's KYC level (`passedKycType`); a user
  // counts in a partner tier once partner KYC has state for them (docs/partner-kyc.md).
  const partnerTier = (u.kyc as { partner?: unknown } | null)?.partner ? u.kycLevel : null;
  return {
    tenantId: u.tenantId ?? null,
    country: keyPart(u.country),
    status: u.status,
    role: u.role,
    userType: u.userType,
    kycLevel: u.kycLevel,
    tier: typeof partnerTier === 'string' ? keyPart(partnerTier) : 'none',
    steps: {
      registered: ms(u.createdAt)!,
      email_confirmed: ms(u.emailVerifiedAt),
      kyc_started: ms(u.kycStartedAt),
      kyc_approved: ms(u.kycApprovedAt),
      terms_accepted: ms(u.termsAcceptedAt),
      active: ms(u.activatedAt),
    },
    lastActiveAt: ms(u.lastActiveAt),
  };
}

export function verificationFactsOf(v: VerificationRequestDoc): VerificationFacts {
  const verified = v.status === 'verified' ? (v.transitions ?? []).find((t) => t.status === 'verified') : undefined;
  return {
    tenantId: v.tenantId ?? null,
    status: v.status,
    failureCode: v.status === 'failed' ? keyPart(v.failure?.code, 'unknown') : null,
    createdAt: ms(v.createdAt)!,
    dueAt: ms(v.dueAt)!,
    verifiedAt: verified ? ms(verified.at) : v.status === 'verified' ? ms(v.statusAt) : null,
  };
}

export function transactionFactsOf(t: TransactionDoc): TransactionFacts {
  return {
    tenantId: t.tenantId,
    direction: t.direction,
    currency: keyPart(t.currency),
    createdAt: ms(t.createdAt)!,
    milli: toMilli(t.amount),
    counted: t.status !== 'declined',
  };
}

/** Projection id of a noted record (activity notes are user notes: the user record changed). */
export const projectionIdOf = (kind: AnalyticsChangeKind | string, ref: string) =>
  kind === 'verification-request' ? `v:${ref}` : kind === 'transaction' ? `x:${ref}` : `u:${ref}`;

/** The facts of a record as it is now, or null if it no longer exists. */
async function currentFacts(models: ReadModelModels, pid: string): Promise<Facts | null> {
  const id = pid.slice(2);
  if (pid.startsWith('u:')) {
    const u = (await models.User.findById(id).lean()) as UserDoc | null;
    return u ? { kind: 'u', f: userFactsOf(u) } : null;
  }
  if (pid.startsWith('v:')) {
    const v = (await models.VerificationRequest.findById(id).lean()) as VerificationRequestDoc | null;
    return v ? { kind: 'v', f: verificationFactsOf(v) } : null;
  }
  const t = (await models.Transaction.findById(id).lean()) as TransactionDoc | null;
  return t ? { kind: 'x', f: transactionFactsOf(t) } : null;
}

async function storedProjection(models: ReadModelModels, pid: string): Promise<Facts | null> {
  const p = await models.AnalyticsProjection.findById(pid).lean();
  return (p?.f as Facts | undefined) ?? null;
}

/**
 * contributions(now) − contributions(last folded) for each record: the change the counters still
 * miss. Every read is an `_id` lookup.
 */
async function deltaOf(models: ReadModelModels, pids: string[], projectionOf: (pid: string) => Promise<Facts | null>) {
  const delta: CounterDelta = new Map();
  const projections = new Map<string, Facts | null>();
  await forEachBounded(pids, 16, async (pid) => {
    const [before, now] = await Promise.all([projectionOf(pid), currentFacts(models, pid)]);
    if (JSON.stringify(before) === JSON.stringify(now)) return;
    if (before) contribute(before, -1, delta);
    if (now) contribute(now, 1, delta);
    projections.set(pid, now);
  });
  return { delta, projections };
}

function applyDelta(base: Record<string, number>, change: Map<string, number> | undefined): Record<string, number> {
  const out = { ...base };
  for (const [k, n] of change ?? []) {
    const v = (out[k] ?? 0) + n;
    if (v === 0) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** A counter map as stored: one JSON string (see analytics-read-model.ts for why). */
const packCounter = (id: string, m: Record<string, number>) => ({ _id: id, j: JSON.stringify(m) });

async function loadCounter(models: ReadModelModels, id: string): Promise<Record<string, number>> {
  const doc = await models.AnalyticsCounter.findById(id).lean();
  if (typeof doc?.j === 'string') return JSON.parse(doc.j) as Record<string, number>;
  return (doc?.m as Record<string, number> | undefined) ?? {};
}

interface Journal {
  _id: string;
  notes: string[];
  /** `j`: the counter map packed as in the counters collection (`m`: a journal written before). */
  counters: { id: string; j?: string; m?: Record<string, number> }[];
  projections: { id: string; f: Facts | null }[];
}
const JOURNAL_ID = 'current';
const journalPacked = (c: Journal['counters'][number]) => c.j ?? JSON.stringify(c.m ?? {});
/** Outbox entries read per round and per query; the roller keeps the outbox far below this. */
export const NOTES_PER_ROUND = 2000;

/** Finishes a batch whose journal was written: whole-document replaces, so applying twice is harmless. */
async function applyJournal(models: ReadModelModels): Promise<number> {
  const j = (await models.AnalyticsJournal.findById(JOURNAL_ID).lean()) as Journal | null;
  if (!j) return 0;
  await forEachBounded(j.counters, 8, (c) =>
    models.AnalyticsCounter.replaceOne({ _id: c.id }, { _id: c.id, j: journalPacked(c) }, { upsert: true }),
  );
  await forEachBounded(j.projections, 16, (p) =>
    p.f === null
      ? models.AnalyticsProjection.deleteOne({ _id: p.id })
      : models.AnalyticsProjection.replaceOne({ _id: p.id }, { _id: p.id, f: p.f }, { upsert: true }),
  );
  if (j.notes.length) await models.AnalyticsOutbox.deleteMany({ _id: { $in: j.notes } });
  await models.AnalyticsJournal.deleteOne({ _id: JOURNAL_ID });
  return j.notes.length;
}

/**
 * One roller round: fold up to NOTES_PER_ROUND outbox entries into the counters. Must only ever
 * run in one place at a time (the analytics roller workflow), which is what makes the
 * read-modify-write of the counter documents safe on FerretDB. Returns the notes folded.
 */
export async function foldAnalyticsNotes(models: ReadModelModels): Promise<number> {
  await applyJournal(models);
  const notes = await models.AnalyticsOutbox.find({}, { kind: 1, ref: 1 }).limit(NOTES_PER_ROUND).lean();
  if (notes.length === 0) return 0;
  const pids = [...new Set(notes.map((n) => projectionIdOf(n.kind, n.ref)))];
  const { delta, projections } = await deltaOf(models, pids, (pid) => storedProjection(models, pid));
  const counters: Journal['counters'] = [];
  // A record's change often cancels out in most of its docs (a sign-in moves one `a|` key; its
  // funnel and growth keys net to zero): only docs with a net change are rewritten.
  const changed = [...delta].filter(([, m]) => m.size > 0).map(([id]) => id);
  await forEachBounded(changed, 8, async (id) => {
    counters.push({ id, j: packCounter(id, applyDelta(await loadCounter(models, id), delta.get(id))).j });
  });
  await models.AnalyticsJournal.create({
    _id: JOURNAL_ID,
    notes: notes.map((n) => n._id),
    counters,
    projections: [...projections].map(([id, f]) => ({ id, f })),
  });
  return applyJournal(models);
}

/**
 * Counter documents as of now: the stored ones, the batch being applied (journal), and the notes
 * not folded yet, diffed against their projections. Exact without waiting for the roller.
 */
export async function readCounters(
  models: ReadModelModels,
  ids: string[],
): Promise<Map<string, Record<string, number>>> {
  const [journal, notes] = await Promise.all([
    models.AnalyticsJournal.findById(JOURNAL_ID).lean() as Promise<Journal | null>,
    models.AnalyticsOutbox.find({}, { kind: 1, ref: 1 }).lean(),
  ]);
  const inJournal = new Set(journal?.notes ?? []);
  const journalCounters = new Map((journal?.counters ?? []).map((c) => [c.id, journalPacked(c)]));
  const journalProjections = new Map((journal?.projections ?? []).map((p) => [p.id, p.f]));
  const pids = [...new Set(notes.filter((n) => !inJournal.has(n._id)).map((n) => projectionIdOf(n.kind, n.ref)))];
  const { delta } = await deltaOf(models, pids, async (pid) =>
    journalProjections.has(pid) ? journalProjections.get(pid)! : storedProjection(models, pid),
  );
  const out = new Map<string, Record<string, number>>();
  await Promise.all(
    ids.map(async (id) => {
      const packed = journalCounters.get(id);
      const base =
        packed !== undefined ? (JSON.parse(packed) as Record<string, number>) : await loadCounter(models, id);
      out.set(id, applyDelta(base, delta.get(id)));
    }),
  );
  return out;
}

/** Counts of what a rebuild read. */
export interface RebuildSummary {
  users: number;
  verificationRequests: number;
  transactions: number;
  counterDocs: number;
}

/**
 * Reconcile: recomputes every projection and counter from the raw collections (heals a lost
 * note, builds the read models after a bulk import). Same single-writer rule as folding: run it
 * from the roller workflow (or with no roller running, e.g. seed-demo on a fresh database).
 */
export async function rebuildAnalytics(
  models: ReadModelModels,
  onProgress: (done: number) => void = () => {},
): Promise<RebuildSummary> {
  await models.AnalyticsJournal.deleteMany({});
  await models.AnalyticsProjection.collection.drop().catch(() => undefined);
  const delta: CounterDelta = new Map();
  let done = 0;
  // One buffer per scan: the three scans run at once (the database decodes while this process
  // folds), and projections go to the driver in big unordered batches.
  const scan = async <T>(cursor: AsyncIterable<T>, toFacts: (doc: T) => { id: string; facts: Facts }) => {
    let n = 0;
    let buffer: { _id: string; f: Facts }[] = [];
    const flush = async () => {
      const batch = buffer;
      buffer = [];
      if (batch.length) await models.AnalyticsProjection.collection.insertMany(batch as never[], { ordered: false });
      onProgress((done += batch.length));
    };
    for await (const doc of cursor) {
      const { id, facts } = toFacts(doc);
      contribute(facts, 1, delta);
      buffer.push({ _id: id, f: facts });
      n++;
      if (buffer.length >= 5000) await flush();
    }
    await flush();
    return n;
  };
  const [users, verificationRequests, transactions] = await Promise.all([
    scan(models.User.find({}).lean().cursor({ batchSize: 2000 }), (u) => ({
      id: `u:${u._id}`,
      facts: { kind: 'u', f: userFactsOf(u as UserDoc) },
    })),
    scan(models.VerificationRequest.find({}).lean().cursor({ batchSize: 2000 }), (v) => ({
      id: `v:${v._id}`,
      facts: { kind: 'v', f: verificationFactsOf(v as VerificationRequestDoc) },
    })),
    scan(models.Transaction.find({}).lean().cursor({ batchSize: 5000 }), (t) => ({
      id: `x:${t._id}`,
      facts: { kind: 'x', f: transactionFactsOf(t as TransactionDoc) },
    })),
  ]);
  const fresh = new Set(delta.keys());
  await forEachBounded([...delta], 8, ([id, m]) =>
    models.AnalyticsCounter.replaceOne({ _id: id }, packCounter(id, Object.fromEntries(m)), { upsert: true }),
  );
  const stale = (await models.AnalyticsCounter.find({}, { _id: 1 }).lean())
    .map((d) => d._id)
    .filter((id) => !fresh.has(id));
  if (stale.length) await models.AnalyticsCounter.deleteMany({ _id: { $in: stale } });
  return { users, verificationRequests, transactions, counterDocs: fresh.size };
}
