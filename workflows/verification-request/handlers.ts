import { condition, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';

import type { VerificationActivities } from '../../activities/verification/create-verification-activities';
import type { NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import {
  cancelVerificationSignal,
  extendDueAtUpdate,
  retryLookupUpdate,
  type SealedNumbers,
  sendReminderNowUpdate,
  type StaffCommand,
  submitNumbersUpdate,
  type VerificationRequestInput,
  verificationStateQuery,
} from '../../domain/contracts/verification-request.contract';
import { VerificationRequestFailures } from '../../domain/failures/catalog';
import { SA } from '../../domain/search-attributes';
import { activityProfiles } from '../activity-profiles';
import type { RequestState } from './state';

const db = proxyActivities<VerificationActivities>(activityProfiles.fast);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

const closedFailure = (message = 'The request is closed') =>
  VerificationRequestFailures.create('VERIFICATION_REQUEST_CLOSED', message);

/** A submission may be taken in: the request is open and no other one is being verified. */
function assertCanTakeSubmission(s: RequestState): void {
  if (s.closed || s.cancel) throw closedFailure();
  if (s.pending.length > 0 || s.status === 'submitted' || s.status === 'verifying') {
    throw VerificationRequestFailures.create('VERIFICATION_IN_PROGRESS', 'A submission is being verified');
  }
}

/** Queues numbers for the loop and answers once the loop took them in (or the request closed). */
async function takeIn(s: RequestState, numbers: SealedNumbers) {
  s.pending.push(numbers);
  const attempt = s.attempts + s.pending.length;
  await condition(() => s.acknowledged >= attempt || s.closed);
  if (s.acknowledged < attempt) throw closedFailure('The request was closed');
  return { attempt, status: 'submitted' as const };
}

/** The run's query, signal and updates: the user's submission and staff's cancel, retry and extension. */
export function installHandlers(s: RequestState, input: VerificationRequestInput): void {
  setHandler(verificationStateQuery, () => ({
    status: s.status,
    attempts: s.attempts,
    remindersSent: s.remindersSent,
  }));
  setHandler(cancelVerificationSignal, (req) => {
    if (!s.closed) s.cancel ??= req;
  });
  setHandler(submitNumbersUpdate, (numbers) => takeIn(s, numbers), {
    validator: (_numbers: SealedNumbers) => {
      assertCanTakeSubmission(s);
      if (s.attempts >= s.maxSubmissions)
        throw VerificationRequestFailures.create('RESUBMISSION_LIMIT_REACHED', 'No submissions left');
    },
  });
  setHandler(
    retryLookupUpdate,
    ({ actor }) => {
      s.retryActor = actor;
      return takeIn(s, s.lastNumbers!);
    },
    {
      validator: (_cmd: StaffCommand) => {
        assertCanTakeSubmission(s);
        if (s.status !== 'failed' || !s.lastNumbers)
          throw VerificationRequestFailures.create('NOTHING_TO_RETRY', 'No failed lookup to retry');
      },
    },
  );
  // Staff's "remind now" (a case's resend): the same reminder the ladder sends, through the same
  // notification request, under its own id (`reminder.now.<n>`), so the ladder's own ids are untouched.
  let sentNow = 0;
  setHandler(
    sendReminderNowUpdate,
    async () => {
      sentNow += 1;
      const notificationId = `${workflowInfo().workflowId}.reminder.now.${sentNow}`;
      await requestNotification({
        notificationId,
        userId: input.userId,
        event: 'identity_number_reminder',
        data: { requestId: input.requestId, types: input.types.join(','), dueAt: s.dueAtText },
      });
      s.remindersSent += 1;
      return { notificationId, remindersSent: s.remindersSent };
    },
    {
      validator: (_cmd: StaffCommand) => {
        if (s.closed || s.cancel) throw closedFailure();
        if (s.pending.length > 0 || s.status === 'submitted' || s.status === 'verifying')
          throw VerificationRequestFailures.create('VERIFICATION_IN_PROGRESS', 'A submission is being verified');
      },
    },
  );
  setHandler(
    extendDueAtUpdate,
    async (req) => {
      s.dueAt = new Date(req.dueAt);
      s.dueAtText = s.dueAt.toISOString();
      await db.recordVerificationDueAt({ requestId: input.requestId, dueAt: req.dueAt });
      upsertSearchAttributes([{ key: SA.DueAt, value: s.dueAt }]);
      s.dueChanged = true;
      return { dueAt: s.dueAt.toISOString() };
    },
    {
      validator: (req) => {
        if (s.closed || s.cancel) throw closedFailure();
        const to = new Date(req?.dueAt);
        if (Number.isNaN(to.getTime()) || to.getTime() <= s.dueAt.getTime() || to.getTime() <= Date.now()) {
          throw VerificationRequestFailures.create(
            'INVALID_DUE_DATE',
            'The new due date must be later than the current one and in the future',
          );
        }
      },
    },
  );
}
