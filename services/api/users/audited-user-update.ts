import { noteAnalyticsChange } from '../../../adapters/analytics/analytics-outbox';
import type { Models } from '../../../adapters/models';
import type { UserDoc } from '../../../adapters/models/user';
import { updateUser } from '../../../adapters/models/user-writes';
import { conflict } from '../http/app-error';

export interface AuditedUserUpdate {
  /** Extra conditions for the compare-and-set besides the tokenVersion read with `user`. */
  expect?: Record<string, unknown>;
  set: object;
  audit: {
    actorId: string;
    action: string;
    from: unknown;
    to: unknown;
    reason: string | null;
    requestId: string | null;
  };
}

/**
 * Compare-and-set on the user (the tokenVersion read earlier must still hold, so two admins cannot
 * silently overwrite each other), a tokenVersion bump that cuts existing tokens off at once, and the
 * audit event. Used by role changes (status changes go through the user's workflow: change-user-status.ts).
 */
export async function auditedUserUpdate(
  models: Pick<Models, 'User' | 'DocumentLock' | 'AuditEvent' | 'AnalyticsOutbox'>,
  user: UserDoc,
  change: AuditedUserUpdate,
): Promise<UserDoc> {
  const stale = () => conflict('CONCURRENT_UPDATE', 'The user was changed at the same time; read it again and retry');
  // The comparison runs on the locked record (every user write takes that lock, user-writes.ts),
  // so it is a real compare-and-set. (Unpatched FerretDB 1.24 did not apply a conditional update
  // atomically; our build does, infra/install-tools.js.)
  const written = await updateUser(models, user._id, (current) => {
    const expected = { tokenVersion: user.tokenVersion, ...change.expect } as Record<string, unknown>;
    const matches = Object.entries(expected).every(
      ([k, v]) => ((current as Record<string, unknown>)[k] ?? null) === (v ?? null),
    );
    if (!matches) throw stale();
    return { $set: change.set, $inc: { tokenVersion: 1 } };
  });
  if (!written) throw stale();
  const updated = written.after;
  await noteAnalyticsChange(models, 'user', user._id);
  await models.AuditEvent.create({
    actor: change.audit.actorId,
    subject: user._id,
    tenantId: user.tenantId ?? null,
    action: change.audit.action,
    from: change.audit.from,
    to: change.audit.to,
    reason: change.audit.reason,
    requestId: change.audit.requestId,
  });
  return updated;
}
