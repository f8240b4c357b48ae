import { ageBucket } from '../../adapters/cases/case-store';
import type { Config } from '../../adapters/config';
import type { CaseDoc } from '../../adapters/models/case';
import { actionsFor, type CaseKind } from '../../domain/contracts/cases.contract';

export type CaseViewConfig = Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE'>;

/** The run in the Temporal Web UI (its workflow id; the UI shows the latest run). */
export const temporalUrl = (config: CaseViewConfig, workflowId: string | null) =>
  workflowId
    ? `${config.TEMPORAL_UI_URL.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`
    : null;

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** What every face shows of a case (API, CLI, page). */
export function caseView(config: CaseViewConfig, c: CaseDoc, now: Date) {
  const kind = c.kind as CaseKind;
  return {
    id: c._id,
    kind,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    tenantId: c.tenantId ?? null,
    ownerUserId: c.ownerUserId ?? null,
    workflowId: c.workflowId ?? null,
    temporalUrl: temporalUrl(config, c.workflowId ?? null),
    open: c.open,
    openedAt: iso(c.openedAt)!,
    closedAt: iso(c.closedAt),
    resolution: c.resolution ?? null,
    ageBucket: ageBucket(c.openedAt, now),
    why: {
      step: c.why?.step ?? null,
      since: iso(c.why?.since),
      lastProviderEvent: c.why?.lastProviderEvent ?? null,
      attempts: c.why?.attempts ?? null,
      detail: c.why?.detail ?? null,
    },
    version: c.version,
    /** Four eyes: an approve waiting for a second compliance officer (who asked, when). */
    pendingApproval:
      c.open && c.pendingApproval
        ? {
            requestedBy: c.pendingApproval.actor,
            at: iso(c.pendingApproval.at)!,
            reason: c.pendingApproval.reason ?? null,
          }
        : null,
    actions: c.open ? actionsFor(kind) : [],
  };
}

export type CaseView = ReturnType<typeof caseView>;
