import type { CaseDoc } from '../../adapters/models/case';
import type { CaseAction } from '../../domain/contracts/cases.contract';
import type { StaffRole, UserType } from '../../domain/vocabulary/users';
import { CaseCommandError } from './case-errors';

/** Who asks: the API's auth context, or the ops CLI's operator (an internal admin). */
export interface CaseViewer {
  userId: string;
  tenantId: string | null;
  userType: UserType;
  staffRole: StaffRole | null;
}

const READERS: StaffRole[] = ['COMPLIANCE_OFFICER', 'BANK_ADMIN', 'AUDITOR'];
/** Decisions about a person's identity: compliance only (seed 002), or an internal admin. */
const DECIDERS: StaffRole[] = ['COMPLIANCE_OFFICER'];
const OPERATORS: StaffRole[] = ['COMPLIANCE_OFFICER', 'BANK_ADMIN'];
const DECISIONS: CaseAction[] = ['approve', 'reject'];

export const isInternal = (v: CaseViewer) => v.userType === 'internal-admin';

/** Reading the queue: internal admins everywhere; compliance, bank admins and auditors in their tenant. */
export function assertCanRead(v: CaseViewer, tenantId?: string | null): void {
  if (isInternal(v)) return;
  if (!v.staffRole || !READERS.includes(v.staffRole) || !v.tenantId)
    throw new CaseCommandError(403, 'INSUFFICIENT_ROLE', 'Cases are for compliance staff and internal admins');
  if (tenantId !== undefined && tenantId !== v.tenantId)
    throw new CaseCommandError(403, 'FORBIDDEN_TENANT', 'This case belongs to another tenant');
}

/** Acting: the tenant's own staff (decisions by a compliance officer), or an internal admin. */
export function assertCanAct(v: CaseViewer, c: Pick<CaseDoc, 'tenantId'>, action: CaseAction | 'dismiss'): void {
  if (isInternal(v)) return;
  if (!v.tenantId || c.tenantId !== v.tenantId)
    throw new CaseCommandError(403, 'FORBIDDEN_TENANT', 'This case belongs to another tenant');
  const allowed = DECISIONS.includes(action as CaseAction) ? DECIDERS : OPERATORS;
  if (!v.staffRole || !allowed.includes(v.staffRole)) {
    throw new CaseCommandError(
      403,
      'INSUFFICIENT_ROLE',
      `Only ${allowed.join(' or ')} of the tenant (or an internal admin) may ${action} a case`,
    );
  }
}
