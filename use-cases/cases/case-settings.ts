import type { Models } from '../../adapters/models';
import { caseSettingsOf, type TenantCaseSettings } from '../../adapters/models/organization';
import { assertCanRead, type CaseViewer, isInternal } from './case-access';
import { CaseCommandError } from './case-errors';

/** The tenant a settings command is about: staff their own; an internal admin names one. */
function tenantOf(viewer: CaseViewer, tenantId: string | undefined): string {
  if (isInternal(viewer)) {
    if (!tenantId) throw new CaseCommandError(400, 'VALIDATION_ERROR', 'Internal admins name the tenant (tenantId)');
    return tenantId;
  }
  if (tenantId && tenantId !== viewer.tenantId)
    throw new CaseCommandError(403, 'FORBIDDEN_TENANT', 'These are another tenant’s settings');
  return viewer.tenantId!;
}

async function read(models: Pick<Models, 'Organization'>, tenantId: string) {
  const org = await models.Organization.findById(tenantId, { settings: 1 }).lean();
  if (!org) throw new CaseCommandError(404, 'NOT_FOUND', 'Tenant not found');
  return { tenantId, ...caseSettingsOf(org) };
}

/** The tenant's case rules, for whoever may read its cases. */
export async function showCaseSettings(
  deps: { models: Pick<Models, 'Organization'> },
  viewer: CaseViewer,
  tenantId?: string,
): Promise<TenantCaseSettings & { tenantId: string }> {
  assertCanRead(viewer);
  return read(deps.models, tenantOf(viewer, tenantId));
}

/**
 * Sets the tenant's case rules (four eyes on reversals). The tenant's admin (BANK_ADMIN) decides it,
 * or an internal admin; a compliance officer may not lower the bar they are held to.
 */
export async function setCaseSettings(
  deps: { models: Pick<Models, 'Organization' | 'AuditEvent'> },
  viewer: CaseViewer,
  input: { tenantId?: string; fourEyesReversals: boolean; requestId: string | null },
): Promise<TenantCaseSettings & { tenantId: string }> {
  if (!isInternal(viewer) && viewer.staffRole !== 'BANK_ADMIN')
    throw new CaseCommandError(
      403,
      'INSUFFICIENT_ROLE',
      'Only the tenant’s BANK_ADMIN (or an internal admin) sets this',
    );
  const tenantId = tenantOf(viewer, input.tenantId);
  const before = await read(deps.models, tenantId);
  await deps.models.Organization.updateOne(
    { _id: tenantId },
    { $set: { 'settings.cases.fourEyesReversals': input.fourEyesReversals } },
  );
  await deps.models.AuditEvent.create({
    actor: viewer.userId,
    subject: tenantId,
    tenantId,
    action: 'tenant.case_settings',
    from: { fourEyesReversals: before.fourEyesReversals },
    to: { fourEyesReversals: input.fourEyesReversals },
    reason: null,
    requestId: input.requestId,
  });
  return read(deps.models, tenantId);
}
