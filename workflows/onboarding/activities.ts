import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

import type { KycActivities } from '../../activities/kyc/create-kyc-activities';
import type { UserActivities } from '../../activities/users/create-user-activities';
import type { NotificationEvent, NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import { siblingQueue } from '../../domain/task-queues';
import { activityProfiles, localActivityProfiles } from '../activity-profiles';
import type { Run } from './state';

// Where each of the run's activities runs, chosen by name: a call site says `local.x` or `remote.x`.
//
// Local activities run inside the workflow task, in this worker (a marker in the task's completion,
// no activity task through the server): the user's short `_id` reads and writes, and starting a
// notification. Each is safe to run again (a local activity re-runs if its workflow task is lost):
// - createOnboardingUser consumes the pending registration once and answers a retry as it did;
// - issueConfirmationDigest is a pure function of the user and the email's notification id;
// - markEmailConfirmed sets `emailVerifiedAt` only when it is unset;
// - recordKycState `$set`s the same fields to the same values (a milestone only when unset) and
//   inserts the Bridge owner records under deterministic `_id`s, a duplicate key meaning done;
// - setUserStatus / transitionUserStatus are keyed by the audit id (workflow id + run + key): the
//   audit insert decides once and `lastTransitionId` stops a second update;
// - readAccountStanding only reads; requestNotification starts `notify-<id>` (REJECT_DUPLICATE).
//
// They still take the user's write lock (adapters/models/document-lock.ts, up to its 10 s wait), so
// onboarding runs keep their 30 s workflow-task timeout. Our FerretDB build makes a single-document
// update atomic, so a fixed `$set` would no longer lose a concurrent writer's fields; but the lock
// also makes other writers' decisions hold until their write lands, and these activities write the
// fields those decisions read: the status, kycLevel and tokenVersion (password change and recovery,
// admin edits, org claims, the verification level), `emailVerifiedAt` (a replacing registration, an
// org claim's confirmation). Written unlocked, such a write could land between another writer's
// read and write (e.g. a password set on a record just deactivated), so they keep the lock.
export const local = {
  users: proxyLocalActivities<
    Pick<
      UserActivities,
      | 'createOnboardingUser'
      | 'issueConfirmationDigest'
      | 'markEmailConfirmed'
      | 'recordKycState'
      | 'setUserStatus'
      | 'transitionUserStatus'
      | 'readAccountStanding'
    >
  >(localActivityProfiles.fast),
  notifications: proxyLocalActivities<NotificationRequestActivities>(localActivityProfiles.notification),
};

// Activity tasks. A code asked for while the user may be confirming (reminder, resend, replacing
// registration) is one: a local activity holds its workflow task open, so a slow one would delay
// the user's confirm update. reopenOnboardingUser stays where it always ran.
export const remote = {
  users: proxyActivities<Pick<UserActivities, 'issueConfirmationDigest' | 'reopenOnboardingUser'>>(
    activityProfiles.fast,
  ),
};

/** Provider calls (Veriff, Bridge) on the kyc worker, bounded: a user waits on them in an update. */
export const kycProviders = (taskQueue: string) =>
  proxyActivities<KycActivities>({
    ...activityProfiles.provider,
    scheduleToCloseTimeout: '1 minute',
    taskQueue: siblingQueue(taskQueue, 'kycProviders'),
  });

type Channel = 'email' | 'sms' | 'push';

/** Starts notification `step` of this run (its id derives from the run: sent once, whatever retries). */
export const notify = (
  run: Run,
  step: string,
  event: NotificationEvent,
  data: Record<string, string> = {},
  channels?: Channel[],
) =>
  local.notifications.requestNotification({ notificationId: run.key(step), userId: run.userId, event, data, channels });
