import type { Models } from '../../../adapters/models';
import type { UserDoc } from '../../../adapters/models/user';
import type { StaffRole, UserRole, UserType } from '../../../domain/vocabulary/users';
import { badRequest, notFound } from '../http/app-error';
import { auditedUserUpdate } from './audited-user-update';

export interface RoleFields {
  role?: UserRole;
  userType?: UserType;
  staffRole?: StaffRole | null;
}

export interface RoleChange {
  actorId: string;
  userId: string;
  to: RoleFields;
  reason: string | null;
  requestId: string | null;
}

/**
 * The one place roles change (platform role/userType and tenant staffRole alike): compare-and-set
 * update, tokenVersion bump and an audit event holding only the fields that changed.
 * Who may ask is decided by the caller's route (docs/roles.md).
 */
export async function changeUserRole(
  deps: { models: Pick<Models, 'User' | 'DocumentLock' | 'AuditEvent' | 'AnalyticsOutbox'> },
  change: RoleChange,
): Promise<UserDoc> {
  const user = (await deps.models.User.findById(change.userId).lean()) as UserDoc | null;
  if (!user) throw notFound('User');
  const current: Required<RoleFields> = { role: user.role, userType: user.userType, staffRole: user.staffRole ?? null };
  const from: RoleFields = {};
  const to: RoleFields = {};
  for (const key of ['role', 'userType', 'staffRole'] as const) {
    const wanted = change.to[key];
    if (wanted !== undefined && wanted !== current[key]) {
      Object.assign(from, { [key]: current[key] });
      Object.assign(to, { [key]: wanted });
    }
  }
  if (Object.keys(to).length === 0) return user;
  const next = { ...current, ...to };
  if (next.staffRole && !user.tenantId)
    throw badRequest('STAFF_ROLE_REQUIRES_TENANT', 'Only members of a tenant can hold a staff role');
  return auditedUserUpdate(deps.models, user, {
    set: to,
    audit: {
      actorId: change.actorId,
      action: 'user.role_changed',
      from,
      to,
      reason: change.reason,
      requestId: change.requestId,
    },
  });
}
