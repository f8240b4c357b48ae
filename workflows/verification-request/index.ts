import {
  ActivityFailure,
  condition,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';

import type { IdentityNumberActivities } from '../../activities/identity-numbers/create-identity-number-activities';
import type {
  TransitionInput,
  VerificationActivities,
} from '../../activities/verification/create-verification-activities';
import type { NotificationRequestActivities } from '../../domain/contracts/notify.contract';
import {
  FAILURE_REASONS,
  type LookupResult,
  type SealedNumbers,
  type VerificationRequestInput,
  type VerificationResult,
  type VerificationStatus,
} from '../../domain/contracts/verification-request.contract';
import { planReminders } from '../../domain/rules/quiet-hours';
import { SA } from '../../domain/search-attributes';
import { siblingQueue } from '../../domain/task-queues';
import { activityProfiles } from '../activity-profiles';
import { installHandlers } from './handlers';
import { initialState, type RequestState } from './state';

const db = proxyActivities<VerificationActivities>(activityProfiles.fast);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

type Event = Parameters<typeof requestNotification>[0]['event'];

/** The run's effects: each transition is persisted and mirrored in the VerificationStatus search attribute. */
function effectsOf(s: RequestState, input: VerificationRequestInput) {
  const { workflowId, taskQueue } = workflowInfo();
  const { lookupIdentityNumbers } = proxyActivities<IdentityNumberActivities>({
    ...activityProfiles.provider,
    taskQueue: siblingQueue(taskQueue, 'kycProviders'),
  });
  return {
    async transition(to: VerificationStatus, extra: Omit<TransitionInput, 'requestId' | 'seq' | 'to' | 'at'> = {}) {
      s.seq += 1;
      // The workflow's own status moves first: once the record shows a status, updates see it too.
      s.status = to;
      const at = new Date().toISOString();
      await db.recordVerificationTransition({ requestId: input.requestId, seq: s.seq, to, at, ...extra });
      upsertSearchAttributes([{ key: SA.VerificationStatus, value: to }]);
    },
    notify(step: string, event: Event, data: Record<string, string>, channels?: ('email' | 'sms' | 'push')[]) {
      return requestNotification({
        notificationId: `${workflowId}.${step}`,
        userId: input.userId,
        event,
        data: { requestId: input.requestId, ...data },
        channels,
      });
    },
    /** Provider outages are retried by the activity's policy; when even that gives up, the user may submit again. */
    async lookup(numbers: SealedNumbers): Promise<LookupResult | { outcome: 'provider_unavailable' }> {
      try {
        return await lookupIdentityNumbers({ requestId: input.requestId, userId: input.userId, numbers });
      } catch (err) {
        if (err instanceof ActivityFailure) return { outcome: 'provider_unavailable' };
        throw err;
      }
    },
  };
}

/**
 * One BVN/NIN request: notify → reminder ladder (durable timers, quiet hours) → the user's
 * submission (update) → provider lookup on the kyc worker → verified | failed (resubmission up to
 * the limit) | expired at the due date | cancelled by staff. Every transition is persisted and
 * mirrored in the VerificationStatus search attribute.
 */
export async function verificationRequest(input: VerificationRequestInput): Promise<VerificationResult> {
  const s = initialState(input);
  installHandlers(s, input);
  const fx = effectsOf(s, input);
  const finish = (final: VerificationResult['status']): VerificationResult => {
    s.closed = true;
    return { status: final, attempts: s.attempts };
  };

  const plan = await db.getVerificationPlan({ requestId: input.requestId });
  s.maxSubmissions = plan.maxSubmissions;
  const reminders = planReminders(new Date(input.createdAt), s.dueAt, plan);
  const common = { types: input.types.join(','), dueAt: input.dueAt };

  /** Verifies the next pending submission: 'verified', 'failed' (no resubmission left) or 'again'. */
  async function verifyNext(): Promise<'verified' | 'failed' | 'again'> {
    const numbers = s.pending.shift()!;
    s.lastNumbers = numbers;
    s.attempts += 1;
    const actor = s.retryActor ?? input.userId;
    s.retryActor = null;
    await fx.transition('submitted', { numbers, actor });
    s.acknowledged = s.attempts;
    await fx.transition('verifying');
    const result = await fx.lookup(numbers);
    if (result.outcome === 'match') {
      const at = new Date().toISOString();
      await db.completeIdentityVerification({
        requestId: input.requestId,
        userId: input.userId,
        types: input.types,
        at,
      });
      await fx.transition('verified');
      await fx.notify('verified', 'identity_number_verified', { types: common.types });
      return 'verified';
    }
    const failure = FAILURE_REASONS[result.outcome];
    const canResubmit = s.attempts < s.maxSubmissions && Date.now() < s.dueAt.getTime();
    await fx.transition('failed', { failure, canResubmit });
    await fx.notify(`failed.${s.attempts}`, 'identity_number_failed', {
      reasonCode: failure.code,
      reason: failure.message,
      canResubmit: String(canResubmit),
    });
    return canResubmit ? 'again' : 'failed';
  }

  await fx.notify('request', 'identity_number_request', common);
  await fx.transition('notified');

  let next = 0;
  for (;;) {
    const wakeAt = next < reminders.length ? reminders[next].at.getTime() : s.dueAt.getTime();
    // `dueChanged` is only ever set by a staff extension, so runs without one wait exactly as before.
    const woken = await condition(
      () => s.cancel !== null || s.pending.length > 0 || s.dueChanged,
      Math.max(1, wakeAt - Date.now()),
    );
    if (s.cancel) {
      await fx.transition('cancelled', { actor: s.cancel.actor, reason: s.cancel.reason });
      return finish('cancelled');
    }
    if (woken && s.pending.length === 0) {
      // An extension: wait again with the new due date.
      s.dueChanged = false;
      continue;
    }
    if (woken) {
      const outcome = await verifyNext();
      if (outcome !== 'again') return finish(outcome);
      // Reminders that fell due while the lookup ran are skipped: the failure message just asked again.
      while (next < reminders.length && reminders[next].at.getTime() <= Date.now()) next += 1;
      continue;
    }
    if (next < reminders.length) {
      const r = reminders[next];
      const data = { ...common, dueAt: s.dueAtText };
      await fx.notify(`reminder.${r.index + 1}`, 'identity_number_reminder', data, [r.channel]);
      s.remindersSent += 1;
      next += 1;
      continue;
    }
    await fx.transition('expired');
    return finish('expired');
  }
}
