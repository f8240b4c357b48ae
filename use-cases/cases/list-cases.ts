import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import type { CaseKind } from '../../domain/contracts/cases.contract';
import { assertCanRead, isInternal, type CaseViewer } from './case-access';
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
 * The queue: oldest first, filtered by tenant, kind and age. Tenant staff always get their own
 * tenant (a filter for another one is refused). Served by the (open, tenantId, kind, openedAt)
 * indexes of the cases collection.
 */
export async function listCases(
  deps: { models: Pick<Models, 'Case'>; config: CaseViewConfig; now?: () => Date },
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
  const [items, total] = await Promise.all([
    deps.models.Case.find(filter).sort({ openedAt: 1, _id: 1 }).skip((q.page - 1) * q.limit).limit(q.limit).lean(),
    deps.models.Case.countDocuments(filter),
  ]);
  return { items: (items as CaseDoc[]).map((c) => caseView(deps.config, c, now)), total, page: q.page, limit: q.limit };
}
