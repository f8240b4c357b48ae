import { AGE_BUCKETS, type AgeBucket, type CaseKind } from '../../domain/contracts/cases.contract';
import type { Models } from '../models';
import type { CaseDoc } from '../models/case';
import { isDuplicateKeyError } from '../models/duplicate-key';
import { caseQueueId, readCaseQueue, rebuildCaseQueues } from './case-queues';
import type { CaseObservation, SourceContext } from './case-source';
import { CASE_SOURCES, caseId, recheck, SOURCED_KINDS, withTenants } from './case-sources';
import { VISIBILITY_CASE_SOURCES } from './visibility-sources';

type CaseModels = Pick<Models, 'Case'>;

/** A closed case an operator dismissed stays closed while its subject is unchanged (no action can clear it). */
const isDismissed = (c: Pick<CaseDoc, 'open' | 'resolution'>) => !c.open && c.resolution === 'dismissed';

const sameWhy = (a: CaseDoc['why'], b: CaseObservation['why']) =>
  (a?.step ?? null) === b.step &&
  (a?.lastProviderEvent ?? null) === b.lastProviderEvent &&
  (a?.attempts ?? null) === b.attempts &&
  (a?.detail ?? null) === b.detail &&
  (a?.since?.getTime() ?? null) === (b.since?.getTime() ?? null);

/**
 * Writes "this subject needs a person, as read at `at`": inserts the case, reopens a resolved one,
 * or refreshes its `why`. Compare-and-set on `checkedAt`: a write from an older read than the
 * record's last one changes nothing, so the sweep and an action's refresh can race.
 */
export async function markOpen(
  models: CaseModels,
  obs: CaseObservation,
  at: Date,
  existing?: CaseDoc | null,
): Promise<'opened' | 'updated' | 'kept'> {
  const _id = caseId(obs.kind, obs.subjectId);
  const current = existing === undefined ? ((await models.Case.findById(_id).lean()) as CaseDoc | null) : existing;
  const fields = {
    kind: obs.kind,
    subjectType: obs.subjectType,
    subjectId: obs.subjectId,
    tenantId: obs.tenantId,
    ownerUserId: obs.ownerUserId,
    workflowId: obs.workflowId,
    why: obs.why,
  };
  if (!current) {
    try {
      await models.Case.create({ _id, ...fields, open: true, openedAt: at, checkedAt: at, version: 1 });
      return 'opened';
    } catch (err) {
      if (isDuplicateKeyError(err)) return 'kept'; // another writer got there first
      throw err;
    }
  }
  if (current.checkedAt.getTime() >= at.getTime() || isDismissed(current)) return 'kept';
  if (current.open) {
    if (sameWhy(current.why, obs.why) && current.tenantId === obs.tenantId) return 'kept';
    await models.Case.updateOne({ _id, checkedAt: current.checkedAt }, { $set: { ...fields, checkedAt: at } });
    return 'updated';
  }
  const reopened = await models.Case.updateOne(
    { _id, checkedAt: current.checkedAt },
    {
      $set: {
        ...fields,
        open: true,
        openedAt: at,
        closedAt: null,
        resolution: null,
        checkedAt: at,
        pendingApproval: null,
      },
      $inc: { version: 1 },
    },
  );
  return reopened.modifiedCount === 1 ? 'opened' : 'kept';
}

/** A claim this old belongs to an API that died mid-action (act-on-case.ts takes it over after as long). */
const STALE_CLAIM_MS = 5 * 60_000;

/**
 * Closes an open case whose condition cleared (read at `at`), with the same compare-and-set. A case
 * an action has claimed is left to that action, which closes it as `action:<name>` itself: a sweep
 * pass that began before the action (its `at` is older than the action's start) and reads the
 * subject after the action changed it would otherwise close it as plain `resolved`.
 */
export async function markResolved(
  models: CaseModels,
  current: Pick<CaseDoc, '_id' | 'checkedAt' | 'open'>,
  at: Date,
  resolution: string,
): Promise<boolean> {
  if (!current.open || current.checkedAt.getTime() >= at.getTime()) return false;
  const r = await models.Case.updateOne(
    {
      _id: current._id,
      checkedAt: current.checkedAt,
      open: true,
      $or: [{ claim: null }, { claimedAt: { $lt: new Date(at.getTime() - STALE_CLAIM_MS) } }],
    },
    { $set: { open: false, closedAt: at, resolution, checkedAt: at }, $inc: { version: 1 } },
  );
  return r.modifiedCount === 1;
}

const RECHECK_BATCH = 500;
/** Subjects scanned per kind and pass; open cases beyond it are still re-checked by id. */
const SCAN_LIMIT = 5000;

/**
 * One pass of the case sweep: for every kind, opens a case for each subject its filter finds and
 * resolves each open case whose subject no longer matches (re-checked by id, batch by batch).
 * Idempotent: a repeated pass over unchanged sources writes nothing.
 */
export async function sweepCases(
  models: Models,
  ctx: SourceContext,
): Promise<{ opened: number; resolved: number; open: number }> {
  let opened = 0;
  let resolved = 0;
  const at = ctx.now;
  const { temporal } = ctx;
  const sources = [
    ...CASE_SOURCES.map((src) => ({
      kind: src.kind,
      scan: async () => {
        const docs = await src.model(models).find(src.filter(ctx), src.projection).limit(SCAN_LIMIT).lean();
        return withTenants(
          models,
          docs.map((d) => src.observe(d, ctx)),
        );
      },
    })),
    // Without a client the visibility kinds are skipped whole: their open cases stay as they are.
    ...(temporal
      ? VISIBILITY_CASE_SOURCES.map((src) => ({ kind: src.kind, scan: () => src.scan(temporal, ctx) }))
      : []),
  ];
  for (const src of sources) {
    const found = await src.scan();
    const openCases = (await models.Case.find({ open: true, kind: src.kind }).lean()) as CaseDoc[];
    const openById = new Map(openCases.map((c) => [c._id, c]));
    const seen = new Set<string>();
    for (const obs of found) {
      const id = caseId(obs.kind, obs.subjectId);
      seen.add(id);
      if ((await markOpen(models, obs, at, openById.get(id))) === 'opened') opened++;
    }
    const unseen = openCases.filter((c) => !seen.has(c._id));
    for (let i = 0; i < unseen.length; i += RECHECK_BATCH) {
      const batch = unseen.slice(i, i + RECHECK_BATCH);
      const still = new Map(
        (
          await recheck(
            models,
            src.kind,
            batch.map((c) => c.subjectId),
            ctx,
          )
        ).map((o) => [o.subjectId, o]),
      );
      for (const c of batch) {
        const obs = still.get(c.subjectId);
        if (obs) await markOpen(models, obs, at, c);
        else if (await markResolved(models, c, at, 'resolved')) resolved++;
      }
    }
  }
  const open = await rebuildCaseQueues(models, new Date());
  return { opened, resolved, open };
}

/**
 * Re-reads one case's subject now and writes what it finds (an action's event-time write, so the
 * list shows the effect without waiting for the next sweep).
 */
export async function refreshCase(
  models: Models,
  id: string,
  ctx: SourceContext,
  resolution: string,
  /** Set by an action: when it began (its closure replaces a sweep's closure since then). */
  actedSince?: Date,
): Promise<CaseDoc | null> {
  const current = (await models.Case.findById(id).lean()) as CaseDoc | null;
  if (!current) return null;
  const [obs] = await recheck(models, current.kind as CaseKind, [current.subjectId], ctx);
  if (obs) await markOpen(models, obs, ctx.now, current);
  else if (actedSince) await closeByAction(models, current._id, ctx.now, resolution, actedSince);
  else await markResolved(models, current, ctx.now, resolution);
  return (await models.Case.findById(id).lean()) as CaseDoc | null;
}

/**
 * An action's own closure. A sweep pass that ran while the action's workflow update was in flight saw
 * the subject move on and closed the case as plain `resolved`; the action is why it moved, so its
 * resolution replaces that one (a closure older than the action, or another action's, is kept).
 */
async function closeByAction(models: Models, id: string, at: Date, resolution: string, actedSince: Date) {
  await models.Case.updateOne(
    { _id: id, $or: [{ open: true }, { open: false, resolution: 'resolved', closedAt: { $gte: actedSince } }] },
    { $set: { open: false, closedAt: at, resolution, checkedAt: at }, $inc: { version: 1 } },
  );
}

/**
 * Takes the case for one action: a compare-and-set on the version the action read (single-document
 * updates are atomic, test/api/database-atomicity.test.ts), bumping it, so of two operators acting at
 * once exactly one gets the case and the other's read is stale. A claim older than `leaseMs` (its
 * API died mid-action) does not block. False: someone else acted or is acting.
 */
export async function claimCase(
  models: CaseModels,
  id: string,
  version: number,
  claim: string,
  at: Date,
  leaseMs: number,
): Promise<boolean> {
  const r = await models.Case.updateOne(
    {
      _id: id,
      open: true,
      version,
      $or: [{ claim: null }, { claimedAt: { $lt: new Date(at.getTime() - leaseMs) } }],
    },
    { $set: { claim, claimedAt: at }, $inc: { version: 1 } },
  );
  return r.modifiedCount === 1;
}

/** Gives the case back after the action (done or failed); another action's claim is left alone. */
export async function releaseCase(models: CaseModels, id: string, claim: string): Promise<void> {
  await models.Case.updateOne({ _id: id, claim }, { $set: { claim: null, claimedAt: null } });
}

export function ageBucket(openedAt: Date, now: Date): AgeBucket {
  const h = (now.getTime() - openedAt.getTime()) / 3_600_000;
  return h < 1 ? '<1h' : h < 24 ? '1h-24h' : h < 24 * 7 ? '1d-7d' : '>7d';
}

/**
 * Open cases by kind and age bucket (the `kyc_cases_open` gauge), every bucket of every kind, zeros
 * included: one `_id` read of each kind's queue (as of the last sweep pass), bucketed by openedAt.
 */
export async function countOpenCases(
  models: Pick<Models, 'CaseQueue'>,
  now = new Date(),
): Promise<{ kind: CaseKind; ageBucket: AgeBucket; count: number }[]> {
  const kinds = SOURCED_KINDS;
  const queues = await Promise.all(kinds.map((kind) => readCaseQueue(models, caseQueueId('*', kind))));
  return kinds.flatMap((kind, i) => {
    const counts = new Map<AgeBucket, number>(AGE_BUCKETS.map((b) => [b, 0]));
    for (const [openedAtMs] of queues[i]) {
      const b = ageBucket(new Date(openedAtMs), now);
      counts.set(b, counts.get(b)! + 1);
    }
    return AGE_BUCKETS.map((ageBucket) => ({ kind, ageBucket, count: counts.get(ageBucket)! }));
  });
}
