import type { CaseKind } from '../../domain/contracts/cases.contract';
import type { Models } from '../models';
import type { CaseQueueDoc, CaseQueueEntry } from '../models/case';

const ANY = '*';
const NO_TENANT = '-';

/** `<tenantId | - (no tenant) | * (every tenant)>:<kind | *>` */
export const caseQueueId = (tenantId: string | null | typeof ANY, kind: CaseKind | typeof ANY) =>
  `${tenantId === null ? NO_TENANT : tenantId}:${kind}`;

/**
 * Rewrites every queue from the open cases (one read of them): the end of a sweep pass. Queues
 * that became empty are written empty, so a reader never sees a list the pass no longer holds.
 */
export async function rebuildCaseQueues(models: Pick<Models, 'Case' | 'CaseQueue'>, at: Date): Promise<number> {
  const open = await models.Case.find({ open: true }, { _id: 1, kind: 1, tenantId: 1, openedAt: 1 }).lean();
  const queues = new Map<string, CaseQueueEntry[]>();
  const push = (id: string, e: CaseQueueEntry) => {
    let q = queues.get(id);
    if (!q) queues.set(id, (q = []));
    q.push(e);
  };
  for (const c of open) {
    const e: CaseQueueEntry = [new Date(c.openedAt).getTime(), c._id as string];
    const tenant = (c.tenantId as string | null) ?? null;
    const kind = c.kind as CaseKind;
    push(caseQueueId(ANY, ANY), e);
    push(caseQueueId(ANY, kind), e);
    push(caseQueueId(tenant, ANY), e);
    push(caseQueueId(tenant, kind), e);
  }
  for (const q of queues.values()) q.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
  const existing = await models.CaseQueue.find({}, { _id: 1 }).lean();
  for (const { _id } of existing) if (!queues.has(_id as string)) queues.set(_id as string, []);
  const ops = [...queues].map(([_id, entries]) => ({
    // Packed into one string ("<openedAtMs>|<caseId>" lines): FerretDB stores no nested arrays, and
    // one string decodes far faster than thousands of array elements.
    replaceOne: {
      filter: { _id },
      replacement: { _id, entries: entries.map(([ms, id]) => `${ms}|${id}`).join('\n'), builtAt: at },
      upsert: true,
    },
  }));
  for (let i = 0; i < ops.length; i += 200) await models.CaseQueue.bulkWrite(ops.slice(i, i + 200), { ordered: false });
  return open.length;
}

export async function readCaseQueue(models: Pick<Models, 'CaseQueue'>, id: string): Promise<CaseQueueEntry[]> {
  const q = (await models.CaseQueue.findById(id).lean()) as CaseQueueDoc | null;
  if (!q?.entries) return [];
  return q.entries.split('\n').map((e) => {
    const bar = e.indexOf('|');
    return [Number(e.slice(0, bar)), e.slice(bar + 1)] as CaseQueueEntry;
  });
}
