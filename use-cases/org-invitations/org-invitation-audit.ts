import { randomUUID } from 'node:crypto';

import type { Models } from '../../adapters/models';

/** One audit event per change of a retail invitation, by its BANK_ADMIN (subject `invitation:<id>`). */
export async function auditOrgInvitation(
  deps: { models: Pick<Models, 'AuditEvent'>; now: () => Date },
  by: { userId: string; tenantId: string; requestId: string | null },
  action: 'invitation.created' | 'invitation.revoked',
  to: { id: string } & Record<string, unknown>,
): Promise<void> {
  await deps.models.AuditEvent.create({
    _id: randomUUID(),
    at: deps.now(),
    actor: by.userId,
    subject: `invitation:${to.id}`,
    tenantId: by.tenantId,
    action,
    from: null,
    to,
    reason: null,
    requestId: by.requestId,
  });
}
