import { caseQueueId, readCaseQueue } from '../../adapters/cases/case-queues';
import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import type { CaseKind } from '../../domain/contracts/cases.contract';
import { assertCanRead, type CaseViewer, isInternal } from './case-access';
import { caseView, type CaseViewConfig } from './case-view';

export interface ListCasesQuery {
  tenantId?: string;
  kind?: CaseKind;
  /** Default: open cases only. */
  state?: 'open' | 'closed';
  /** Only cases open (or opened) at least this many hours ago. */
  minAgeHours?: number;
  page: number;
  limit: number;
}

/**
 * The queue: open cases oldest first (closed ones newest first), filtered by tenant, kind and age.
 * Tenant staff always get their own tenant (a filter for another one is refused). Open lists come
 * from the case queues (adapters/cases/case-queues.ts): `_id` reads only, as FerretDB answers
 * nothing else without a scan.
 */
export async function listCases(
  deps: { models: Pick<Models, 'Case' | 'CaseQueue'>; config: CaseViewConfig; now?: () => Date },
  viewer: CaseViewer,
  q: ListCasesQuery,
) {
  const now = deps.now?.() ?? new Date();
  assertCanRead(viewer, q.tenantId ?? (isInternal(viewer) ? undefined : viewer.tenantId));
  const filter: Record<string, unknown> = { open: (q.state ?? 'open') === 'open' };
  const tenantId = isInternal(viewer) ? q.tenantId : viewer.tenantId;
  if (tenantId) filter.tenantId = tenantId;
  if (q.kind) filter.kind = q.kind;
  if (q.minAgeHours !== undefined) filter.openedAt = { $lte: new Date(now.getTime() - q.minAgeHours * 3_600_000) };
  if ((q.state ?? 'open') === 'open') {
    // The queue of the last sweep pass (one `_id` read), then the page's cases by `_id`: the records
    // are the truth, so one closed since the pass is left out of the page.
    let entries = await readCaseQueue(deps.models, caseQueueId(tenantId ?? '*', q.kind ?? '*'));
    if (q.minAgeHours !== undefined) {
      const cutoff = now.getTime() - q.minAgeHours * 3_600_000;
      entries = entries.filter(([openedAtMs]) => openedAtMs <= cutoff);
    }
    const page = entries.slice((q.page - 1) * q.limit, q.page * q.limit);
    const cases = await Promise.all(page.map(([, id]) => deps.models.Case.findById(id).lean()));
    const items = (cases as (CaseDoc | null)[]).filter((c): c is CaseDoc => c !== null && c.open);
    return {
      items: items.map((c) => caseView(deps.config, c, now)),
      total: entries.length,
      page: q.page,
      limit: q.limit,
    };
  }
  // Closed cases (history, rarely listed): a query over the cases collection, newest first.
  const [items, total] = await Promise.all([
    deps.models.Case.find(filter)
      .sort({ closedAt: -1, _id: 1 })
      .skip((q.page - 1) * q.limit)
      .limit(q.limit)
      .lean(),
    deps.models.Case.countDocuments(filter),
  ]);
  return { items: (items as CaseDoc[]).map((c) => caseView(deps.config, c, now)), total, page: q.page, limit: q.limit };
}
