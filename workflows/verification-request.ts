import {
  ActivityFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { IdentityNumberActivities } from '../activities/identity-numbers/create-identity-number-activities';
import type {
  TransitionInput,
  VerificationActivities,
} from '../activities/verification/create-verification-activities';
import type { NotificationRequestActivities } from '../domain/contracts/notify.contract';
import {
  type CancelRequest,
  cancelVerificationSignal,
  extendDueAtUpdate,
  FAILURE_REASONS,
  type LookupResult,
  retryLookupUpdate,
  type SealedNumbers,
  type StaffCommand,
  submitNumbersUpdate,
  type VerificationRequestInput,
  type VerificationResult,
  verificationStateQuery,
  type VerificationStatus,
} from '../domain/contracts/verification-request.contract';
import { VerificationRequestFailures } from '../domain/failures/catalog';
import { planReminders } from '../domain/rules/quiet-hours';
import { SA } from '../domain/search-attributes';
import { siblingQueue } from '../domain/task-queues';
import { activityProfiles } from './activity-profiles';

const db = proxyActivities<VerificationActivities>(activityProfiles.fast);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

/**
 * One BVN/NIN request: notify → reminder ladder (durable timers, quiet hours) → the user's
 * submission (update) → provider lookup on the kyc worker → verified | failed (resubmission up to
 * the limit) | expired at the due date | cancelled by staff. Every transition is persisted and
 * mirrored in the VerificationStatus search attribute.
 */
export async function verificationRequest(input: VerificationRequestInput): Promise<VerificationResult> {
  const { workflowId, taskQueue } = workflowInfo();
  const { lookupIdentityNumbers } = proxyActivities<IdentityNumberActivities>({
    ...activityProfiles.provider,
    taskQueue: siblingQueue(taskQueue, 'kycProviders'),
  });

  let status: VerificationStatus = 'created';
  let seq = 0;
  let attempts = 0;
  let acknowledged = 0;
  let remindersSent = 0;
  let maxSubmissions = Infinity;
  let closed = false;
  let cancel = null as CancelRequest | null; // set by the signal handler
  const pending: SealedNumbers[] = [];
  // Staff case actions (docs/operations.md): a retry re-submits the last numbers; an extension moves dueAt.
  let lastNumbers: SealedNumbers | null = null;
  let retryActor: string | null = null;
  let dueChanged = false;

  setHandler(verificationStateQuery, () => ({ status, attempts, remindersSent }));
  setHandler(cancelVerificationSignal, (req) => {
    if (!closed) cancel ??= req;
  });
  setHandler(
    submitNumbersUpdate,
    async (numbers) => {
      pending.push(numbers);
      const attempt = attempts + pending.length;
      await condition(() => acknowledged >= attempt || closed);
      if (acknowledged < attempt)
        throw VerificationRequestFailures.create('VERIFICATION_REQUEST_CLOSED', 'The request was closed');
      return { attempt, status: 'submitted' as const };
    },
    {
      validator: (_numbers: SealedNumbers) => {
        if (closed || cancel)
          throw VerificationRequestFailures.create('VERIFICATION_REQUEST_CLOSED', 'The request is closed');
        if (pending.length > 0 || status === 'submitted' || status === 'verifying') {
          throw VerificationRequestFailures.create('VERIFICATION_IN_PROGRESS', 'A submission is being verified');
        }
        if (attempts >= maxSubmissions)
          throw VerificationRequestFailures.create('RESUBMISSION_LIMIT_REACHED', 'No submissions left');
      },
    },
  );

  // Declared before the handlers use it; set from the input before the first await.
  let dueAt = new Date(input.dueAt);
  let dueAtText = input.dueAt;
  setHandler(
    retryLookupUpdate,
    async ({ actor }) => {
      pending.push(lastNumbers!);
      retryActor = actor;
      const attempt = attempts + pending.length;
      await condition(() => acknowledged >= attempt || closed);
      if (acknowledged < attempt)
        throw VerificationRequestFailures.create('VERIFICATION_REQUEST_CLOSED', 'The request was closed');
      return { attempt, status: 'submitted' as const };
    },
    {
      validator: (_cmd: StaffCommand) => {
        if (closed || cancel)
          throw VerificationRequestFailures.create('VERIFICATION_REQUEST_CLOSED', 'The request is closed');
        if (pending.length > 0 || status === 'submitted' || status === 'verifying') {
          throw VerificationRequestFailures.create('VERIFICATION_IN_PROGRESS', 'A submission is being verified');
        }
        if (status !== 'failed' || !lastNumbers)
          throw VerificationRequestFailures.create('NOTHING_TO_RETRY', 'No failed lookup to retry');
      },
    },
  );
  setHandler(
    extendDueAtUpdate,
    async (req) => {
      dueAt = new Date(req.dueAt);
      dueAtText = dueAt.toISOString();
      await db.recordVerificationDueAt({ requestId: input.requestId, dueAt: req.dueAt });
      upsertSearchAttributes([{ key: SA.DueAt, value: dueAt }]);
      dueChanged = true;
      return { dueAt: dueAt.toISOString() };
    },
    {
      validator: (req) => {
        if (closed || cancel)
          throw VerificationRequestFailures.create('VERIFICATION_REQUEST_CLOSED', 'The request is closed');
        const to = new Date(req?.dueAt);
        if (Number.isNaN(to.getTime()) || to.getTime() <= dueAt.getTime() || to.getTime() <= Date.now()) {
          throw VerificationRequestFailures.create(
            'INVALID_DUE_DATE',
            'The new due date must be later than the current one and in the future',
          );
        }
      },
    },
  );

  const transition = async (
    to: VerificationStatus,
    extra: Omit<TransitionInput, 'requestId' | 'seq' | 'to' | 'at'> = {},
  ) => {
    seq += 1;
    // The workflow's own status moves first: once the record shows a status, updates see it too.
    status = to;
    await db.recordVerificationTransition({
      requestId: input.requestId,
      seq,
      to,
      at: new Date().toISOString(),
      ...extra,
    });
    upsertSearchAttributes([{ key: SA.VerificationStatus, value: to }]);
  };
  const notify = (
    step: string,
    event: Parameters<typeof requestNotification>[0]['event'],
    data: Record<string, string>,
    channels?: ('email' | 'sms' | 'push')[],
  ) =>
    requestNotification({
      notificationId: `${workflowId}.${step}`,
      userId: input.userId,
      event,
      data: { requestId: input.requestId, ...data },
      channels,
    });
  const finish = (final: VerificationResult['status']): VerificationResult => {
    closed = true;
    return { status: final, attempts };
  };

  const plan = await db.getVerificationPlan({ requestId: input.requestId });
  maxSubmissions = plan.maxSubmissions;
  const reminders = planReminders(new Date(input.createdAt), dueAt, plan);
  const common = { types: input.types.join(','), dueAt: input.dueAt };

  await notify('request', 'identity_number_request', common);
  await transition('notified');

  let next = 0;
  for (;;) {
    const wakeAt = next < reminders.length ? reminders[next].at.getTime() : dueAt.getTime();
    // `dueChanged` is only ever set by a staff extension, so runs without one wait exactly as before.
    const woken = await condition(
      () => cancel !== null || pending.length > 0 || dueChanged,
      Math.max(1, wakeAt - Date.now()),
    );
    if (cancel) {
      await transition('cancelled', { actor: cancel.actor, reason: cancel.reason });
      return finish('cancelled');
    }
    if (woken && pending.length === 0) {
      // An extension: wait again with the new due date.
      dueChanged = false;
      continue;
    }
    if (woken) {
      const numbers = pending.shift()!;
      lastNumbers = numbers;
      attempts += 1;
      const actor = retryActor ?? input.userId;
      retryActor = null;
      await transition('submitted', { numbers, actor });
      acknowledged = attempts;
      await transition('verifying');
      const result = await lookup(numbers);
      if (result.outcome === 'match') {
        await db.completeIdentityVerification({
          requestId: input.requestId,
          userId: input.userId,
          types: input.types,
          at: new Date().toISOString(),
        });
        await transition('verified');
        await notify('verified', 'identity_number_verified', { types: common.types });
        return finish('verified');
      }
      const failure = FAILURE_REASONS[result.outcome];
      const canResubmit = attempts < maxSubmissions && Date.now() < dueAt.getTime();
      await transition('failed', { failure, canResubmit });
      await notify(`failed.${attempts}`, 'identity_number_failed', {
        reasonCode: failure.code,
        reason: failure.message,
        canResubmit: String(canResubmit),
      });
      if (!canResubmit) return finish('failed');
      // Reminders that fell due while the lookup ran are skipped: the failure message just asked again.
      while (next < reminders.length && reminders[next].at.getTime() <= Date.now()) next += 1;
      continue;
    }
    if (next < reminders.length) {
      const r = reminders[next];
      await notify(`reminder.${r.index + 1}`, 'identity_number_reminder', { ...common, dueAt: dueAtText }, [r.channel]);
      remindersSent += 1;
      next += 1;
      continue;
    }
    await transition('expired');
    return finish('expired');
  }

  /** Provider outages are retried by the activity's policy; when even that gives up, the user may submit again. */
  async function lookup(numbers: SealedNumbers): Promise<LookupResult | { outcome: 'provider_unavailable' }> {
    try {
      return await lookupIdentityNumbers({ requestId: input.requestId, userId: input.userId, numbers });
    } catch (err) {
      if (err instanceof ActivityFailure) return { outcome: 'provider_unavailable' };
      throw err;
    }
  }
}
