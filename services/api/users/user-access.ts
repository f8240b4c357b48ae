import type { Models } from '../../../adapters/models';
import type { UserDoc } from '../../../adapters/models/user';
import { type AuthContext, isInternalAdmin } from '../auth/auth-context';
import { notFound } from '../http/app-error';

/** Tenant staff see their tenant; internal admins see everyone; everybody sees themselves. */
export function canSee(auth: AuthContext, target: Pick<UserDoc, '_id' | 'tenantId'>): boolean {
  if (auth.userId === target._id || isInternalAdmin(auth)) return true;
  return auth.staffRole !== null && auth.tenantId !== null && target.tenantId === auth.tenantId;
}

/** The user if the caller may see it; otherwise 404, so ids of other tenants do not leak. */
export async function findVisibleUser(
  models: Pick<Models, 'User'>,
  auth: AuthContext,
  userId: string,
): Promise<UserDoc> {
  const user = (await models.User.findById(userId).lean()) as UserDoc | null;
  if (!user || !canSee(auth, user)) throw notFound('User');
  return user;
}

/** Mongo filter restricting a listing to what the caller may see. */
export function visibleScope(auth: AuthContext): Record<string, unknown> {
  if (isInternalAdmin(auth)) return {};
  if (auth.staffRole && auth.tenantId) return { tenantId: auth.tenantId };
  return { _id: auth.userId };
}
