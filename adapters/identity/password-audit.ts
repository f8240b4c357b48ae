import type { Models } from '../models';
import { isDuplicateKeyError } from '../models/duplicate-key';

export interface PasswordEvent {
  /** The audit id. Derived from a single-use secret (a link, a code), its insert is that secret's claim. */
  id: string;
  userId: string;
  tenantId: string | null;
  action: 'user.password_set' | 'user.password_reset' | 'user.password_changed';
  /** How the person proved who they are (welcome link, emailed code, current password). */
  via: string;
  reason: string;
  requestId: string | null;
  at?: Date;
}

/**
 * The one audit record of a password being set, reset or changed, by the person themselves. False:
 * an event with this id exists already (the secret behind the id was used).
 */
export async function recordPasswordEvent(models: Pick<Models, 'AuditEvent'>, e: PasswordEvent): Promise<boolean> {
  try {
    await models.AuditEvent.create({
      _id: e.id,
      ...(e.at ? { at: e.at } : {}),
      actor: e.userId,
      subject: e.userId,
      tenantId: e.tenantId,
      action: e.action,
      from: null,
      to: { via: e.via },
      reason: e.reason,
      requestId: e.requestId,
    });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
