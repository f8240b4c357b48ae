import type { Models } from '../../adapters/models';
import { updateLocked } from '../../adapters/models/locked-update';
import type { NotificationPreferenceDoc } from '../../adapters/models/notification-preference';
import { TRANSACTIONAL_EVENTS } from '../../domain/contracts/notify.contract';
import { notFound } from '../app-error';

type Stored = { email?: boolean | null; sms?: boolean | null; push?: boolean | null; language?: string | null } | null;

/** A user's preferences as the API shows them: every channel on and English until changed. */
export const preferencesView = (userId: string, p: Stored) => ({
  userId,
  channels: { email: p?.email ?? true, sms: p?.sms ?? true, push: p?.push ?? true },
  language: p?.language ?? 'en',
  transactionalEvents: [...TRANSACTIONAL_EVENTS],
});
export type NotificationPreferences = ReturnType<typeof preferencesView>;

export async function readNotificationPreferences(
  deps: { models: Models },
  userId: string,
): Promise<NotificationPreferences> {
  return preferencesView(userId, await deps.models.NotificationPreference.findById(userId).lean());
}

/**
 * A user (or an internal admin) opts in or out of channels or chooses the message language.
 * Consent changes are audited: who changed them, from → to. Opting out never stops transactional
 * messages (the notify workflow sends those whatever these say).
 */
export async function updateNotificationPreferences(
  deps: { models: Models },
  by: { userId: string; tenantId: string | null; requestId: string },
  userId: string,
  change: { channels?: Partial<Record<'email' | 'sms' | 'push', boolean>>; language?: string },
): Promise<NotificationPreferences> {
  const { models } = deps;
  if (!(await models.User.exists({ _id: userId }))) throw notFound('User');
  // Under the document's write lock, so the audit's from/to is the state this change replaced.
  // (Unpatched FerretDB 1.24 also let two concurrent opt-outs of different channels erase each
  // other; our build makes single-document writes atomic, infra/install-tools.js.)
  const { before, after } = await updateLocked<NotificationPreferenceDoc>(
    models.NotificationPreference,
    models.DocumentLock,
    'notification-preferences',
    userId,
    () => ({ $set: { ...change.channels, ...(change.language ? { language: change.language } : {}) } }),
    { upsert: true },
  );
  await models.AuditEvent.create({
    actor: by.userId,
    subject: userId,
    tenantId: by.tenantId,
    action: 'notification_preferences.update',
    from: preferencesView(userId, before).channels,
    to: preferencesView(userId, after).channels,
    reason: null,
    requestId: by.requestId,
  });
  return preferencesView(userId, after);
}
