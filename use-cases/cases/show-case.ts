import type { Models } from '../../adapters/models';
import type { CaseDoc } from '../../adapters/models/case';
import { assertCanRead, type CaseViewer } from './case-access';
import { CaseCommandError } from './case-errors';
import { caseView, type CaseViewConfig } from './case-view';

const TRAIL_LIMIT = 100;

/** The audit trail of a case: the actions on it, and what happened to its subject (e.g. the user's status), newest first. */
export async function caseTrail(models: Pick<Models, 'AuditEvent'>, c: Pick<CaseDoc, '_id' | 'subjectId'>) {
  const events = await models.AuditEvent.find({ subject: { $in: [c._id, c.subjectId] } })
    .sort({ at: -1, _id: 1 })
    .limit(TRAIL_LIMIT)
    .lean();
  return events.map((e) => ({
    id: e._id as string,
    at: e.at.toISOString(),
    actor: e.actor,
    subject: e.subject,
    action: e.action,
    from: e.from ?? null,
    to: e.to ?? null,
    reason: e.reason ?? null,
    requestId: e.requestId ?? null,
  }));
}

export async function findCase(models: Pick<Models, 'Case'>, caseId: string): Promise<CaseDoc> {
  const c = (await models.Case.findById(caseId).lean()) as CaseDoc | null;
  if (!c) throw new CaseCommandError(404, 'NOT_FOUND', 'Case not found');
  return c;
}

/** One case with its audit trail (tenant staff: their tenant's cases only). */
export async function showCase(
  deps: { models: Pick<Models, 'Case' | 'AuditEvent'>; config: CaseViewConfig; now?: () => Date },
  viewer: CaseViewer,
  caseId: string,
) {
  assertCanRead(viewer);
  const c = await findCase(deps.models, caseId);
  assertCanRead(viewer, c.tenantId ?? null);
  return { ...caseView(deps.config, c, deps.now?.() ?? new Date()), trail: await caseTrail(deps.models, c) };
}
