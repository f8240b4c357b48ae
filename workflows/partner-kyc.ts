import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';

import type { NotificationRequestActivities } from '../domain/contracts/notify.contract';
import {
  cancelPartnerKycUpdate,
  type CheckOutcome,
  type DecidePartnerKycCommand,
  decidePartnerKycUpdate,
  movePartnerKycToManualReviewUpdate,
  type PartnerKycActivities,
  type PartnerKycCaseActivities,
  PartnerKycCommandFailures,
  type PartnerKycInput,
  type PartnerKycProviderActivities,
  type PartnerKycResult,
  partnerKycStateQuery,
  type PartnerKycStatus,
  retryPartnerKycUpdate,
  submitDocumentSignal,
  tierPassedSignal,
  transactionHoldWorkflowId,
} from '../domain/contracts/partner-kyc.contract';
import { siblingQueue } from '../domain/task-queues';
import { activityProfiles } from './activity-profiles';

const db = proxyActivities<PartnerKycActivities>(activityProfiles.fast);
const cases = proxyActivities<PartnerKycCaseActivities>(activityProfiles.fast);
const { requestNotification } = proxyActivities<NotificationRequestActivities>(activityProfiles.notification);

const PROVIDER_UNAVAILABLE: CheckOutcome = {
  decision: 'rejected',
  description: 'Provider Unavailable',
  resultCode: 'unavailable',
};
/** Outcomes a person gave (case actions): the partner reads them like the provider's. */
const MANUAL_APPROVAL: CheckOutcome = { decision: 'approved', description: 'Manually Approved', resultCode: 'manual' };
const MANUAL_REJECTION: CheckOutcome = { decision: 'rejected', description: 'Manually Rejected', resultCode: 'manual' };
const CANCELLED: CheckOutcome = { decision: 'rejected', description: 'Cancelled', resultCode: 'cancelled' };

type Operator = { actor: string; reason: string | null };

/**
 * One user's submissions of one catalog document, checked one at a time. A submission that
 * arrives while another is being checked waits; of several waiting, only the latest is checked
 * (the partner's newest data wins, older queued ones are superseded). After `idleMinutes` without
 * a submission the workflow completes; a later submission starts a new run with the same id.
 *
 * Operators act on a check through updates (case actions, docs/operations.md): decide a rejected
 * check (override approve / confirm the rejection) or one in manual review, retry the provider step,
 * move a pending check to manual review, cancel it. Their handlers and the interruptible scope
 * add no command until a command is sent, so histories recorded before them replay unchanged.
 */
export async function partnerKyc(input: PartnerKycInput): Promise<PartnerKycResult> {
  const { workflowId, taskQueue } = workflowInfo();
  const provider = proxyActivities<PartnerKycProviderActivities>({
    ...activityProfiles.provider,
    taskQueue: siblingQueue(taskQueue, 'kycProviders'),
  });
  let waiting: string | null = null;
  let checked = 0;
  let last: CheckOutcome | null = null;

  // The check under way (begun, not yet recorded), where it stands, and an operator's interruption.
  let current: string | null = null;
  let phase: 'checking' | 'recording' | 'manual_review' = 'checking';
  type Interrupt = { kind: 'retry' | 'cancel' | 'manual_review'; by: Operator };
  let interrupt: Interrupt | null = null;
  // Handlers set it while the loop awaits: read through this, so the compiler does not narrow it.
  const interruption = (): Interrupt | null => interrupt;
  let running: CancellationScope | null = null;
  let manualDecision: DecidePartnerKycCommand | null = null;
  let begun = 0;
  let settled = 0;
  /** A decision on a finished (rejected) check is being recorded: no new check starts meanwhile. */
  let deciding = false;
  /** Submissions an operator's command touched in this run: their outcomes are notified anew. */
  const touched = new Set<string>();

  setHandler(submitDocumentSignal, ({ submissionId }) => {
    waiting = submissionId;
  });
  setHandler(partnerKycStateQuery, () => ({ checked, queued: waiting ? 1 : 0, last }));

  const operator = (i: Interrupt): Operator => ({ actor: i.by.actor, reason: i.by.reason ?? null });
  const fail = PartnerKycCommandFailures.create.bind(PartnerKycCommandFailures);
  const validOperator = (cmd: Operator | undefined) => {
    if (!cmd || typeof cmd.actor !== 'string' || !cmd.actor) throw fail('VALIDATION_ERROR', 'actor is required');
  };
  /** A check an operator may still interrupt: provider step under way, nobody acted yet. */
  const pendingCheck = () => current !== null && phase === 'checking' && interrupt === null;

  setHandler(
    decidePartnerKycUpdate,
    async (cmd): Promise<{ kycStatus: PartnerKycStatus }> => {
      if (current !== null && phase === 'manual_review') {
        // Manual review: the loop records the decision; answer once it has.
        const n = settled;
        manualDecision = cmd;
        await condition(() => settled > n);
        return { kycStatus: last?.decision ?? 'pending' };
      }
      deciding = true;
      try {
        // An outcome being recorded (its notification under way) finishes first.
        await condition(() => current === null);
        return { kycStatus: await decide(cmd.submissionId, cmd, false) };
      } finally {
        deciding = false;
      }
    },
    {
      validator: (cmd) => {
        validOperator(cmd);
        if (cmd.decision !== 'approve' && cmd.decision !== 'reject')
          throw fail('VALIDATION_ERROR', 'decision must be approve or reject');
        if (typeof cmd.submissionId !== 'string' || !cmd.submissionId)
          throw fail('VALIDATION_ERROR', 'submissionId is required');
        if (deciding || waiting !== null) throw fail('CHECK_IN_PROGRESS', 'Another command or check is under way');
        const inReview = phase === 'manual_review' && manualDecision === null && interrupt?.kind !== 'cancel';
        if (current !== null && phase !== 'recording' && !inReview)
          throw fail('CHECK_IN_PROGRESS', 'A check of this document is under way: it has not been decided yet');
      },
    },
  );

  setHandler(
    retryPartnerKycUpdate,
    async (cmd) => {
      const n = begun;
      if (cmd.expect === 'pending') {
        interrupt = { kind: 'retry', by: cmd };
        running?.cancel();
      } else {
        deciding = true;
        await condition(() => current === null); // an outcome being recorded finishes first
        deciding = false;
        touched.add(cmd.submissionId);
        waiting = cmd.submissionId;
      }
      // Answer once the provider step has begun again (the partner reads `pending`).
      await condition(() => begun > n);
      return { kycStatus: 'pending' as const, checks: begun };
    },
    {
      validator: (cmd) => {
        validOperator(cmd);
        if (cmd.expect === 'rejected') {
          if (typeof cmd.submissionId !== 'string' || !cmd.submissionId)
            throw fail('VALIDATION_ERROR', 'submissionId is required');
          if ((current !== null && phase !== 'recording') || deciding || waiting !== null)
            throw fail('CHECK_IN_PROGRESS', 'A check of this document is under way already');
        } else if (cmd.expect === 'pending') {
          if (!pendingCheck()) throw fail('NOT_PENDING', 'No check of this document is waiting for the provider');
        } else throw fail('VALIDATION_ERROR', 'expect must be rejected or pending');
      },
    },
  );

  setHandler(
    movePartnerKycToManualReviewUpdate,
    async (cmd) => {
      interrupt = { kind: 'manual_review', by: cmd };
      running?.cancel();
      await condition(() => phase === 'manual_review' || current === null);
      return { kycStatus: (current === null ? (last?.decision ?? 'pending') : 'pending') as PartnerKycStatus };
    },
    {
      validator: (cmd) => {
        validOperator(cmd);
        if (!pendingCheck()) throw fail('NOT_PENDING', 'No check of this document is waiting for the provider');
      },
    },
  );

  setHandler(
    cancelPartnerKycUpdate,
    async (cmd) => {
      const n = settled;
      interrupt = { kind: 'cancel', by: cmd };
      running?.cancel();
      await condition(() => settled > n);
      return { kycStatus: 'rejected' as const };
    },
    {
      validator: (cmd) => {
        validOperator(cmd);
        const inReview = current !== null && phase === 'manual_review' && manualDecision === null;
        if (!pendingCheck() && !(inReview && interrupt?.kind === 'manual_review'))
          throw fail('NOT_PENDING', 'No check of this document is pending or in manual review');
      },
    },
  );

  for (;;) {
    const got = await condition(() => waiting !== null && !deciding, `${input.idleMinutes} minutes`);
    if (!got) {
      // An operator's command may be under way (a case action): the run ends only after it.
      await condition(() => (waiting !== null && !deciding) || allHandlersFinished());
      if (waiting === null) return { checked, last };
    }
    const submissionId: string = waiting!;
    waiting = null;
    current = submissionId;
    phase = 'checking';
    interrupt = null;
    const { documentType } = await db.beginPartnerKycCheck({ submissionId });
    begun += 1;
    const outcome = interruption() ? null : await interruptible(() => check(submissionId, documentType));
    const by = interruption();
    if (by) touched.add(submissionId);
    if (!by) {
      phase = 'recording';
      last = outcome!;
      checked += 1;
      await finish(submissionId, last);
    } else if (by.kind === 'retry') {
      // The provider step again, from the start (the check is begun again: the partner reads pending).
      waiting = submissionId;
      current = null;
      continue;
    } else {
      if (by.kind === 'manual_review') {
        await cases.recordPartnerKycReview({ submissionId, review: 'manual_review', ...operator(by), at: Date.now() });
        phase = 'manual_review';
        await condition(() => manualDecision !== null || interruption()?.kind === 'cancel');
      }
      phase = 'recording';
      const end = interruption()!;
      if (end.kind === 'cancel') {
        await cases.recordPartnerKycReview({ submissionId, review: 'cancelled', ...operator(end), at: Date.now() });
        last = CANCELLED;
        checked += 1;
        await finish(submissionId, last);
      } else {
        await decide(submissionId, manualDecision!, true);
        checked += 1;
        manualDecision = null;
      }
    }
    current = null;
    settled += 1;
  }

  /**
   * Records an outcome, tells the user's held transactions the tier, and notifies the user. A
   * submission's first outcome is notified under `<workflowId>.<submissionId>`; one that follows an
   * operator's command gets its own id (a notification id that ran once is never sent again).
   */
  async function finish(submissionId: string, outcome: CheckOutcome) {
    const notice = touched.has(submissionId) ? `.${Date.now()}` : '';
    const recorded = await db.recordPartnerKycOutcome({ submissionId, outcome });
    for (const transactionId of recorded.heldTransactionIds) {
      // A hold that already ended ignores nothing and is simply not found: either is fine.
      await getExternalWorkflowHandle(transactionHoldWorkflowId(transactionId))
        .signal(tierPassedSignal, { tier: recorded.passedTier })
        .catch(() => undefined);
    }
    await requestNotification({
      notificationId: `${workflowId}.${submissionId}${notice}`,
      userId: input.userId,
      ...(outcome.decision === 'approved'
        ? { event: 'kyc_approved' as const, data: {} }
        : { event: 'kyc_declined' as const, data: { reason: outcome.description } }),
    });
  }

  /**
   * A person's decision: audited with who and why (and kept on the user, so the case closes), then,
   * for an approve or a check that had no outcome yet, recorded as the check's outcome.
   */
  async function decide(submissionId: string, cmd: DecidePartnerKycCommand, withOutcome: boolean) {
    touched.add(submissionId);
    const approve = cmd.decision === 'approve';
    await cases.recordPartnerKycReview({
      submissionId,
      review: approve ? 'approved' : 'rejection_confirmed',
      actor: cmd.actor,
      reason: cmd.reason,
      at: Date.now(),
    });
    if (approve || withOutcome) {
      last = approve ? MANUAL_APPROVAL : MANUAL_REJECTION;
      await finish(submissionId, last);
    }
    return approve ? ('approved' as const) : ('rejected' as const);
  }

  /** The provider step in a scope an operator's retry, cancel or manual review can interrupt. */
  async function interruptible(step: () => Promise<CheckOutcome>): Promise<CheckOutcome | null> {
    try {
      return await CancellationScope.cancellable(() => {
        running = CancellationScope.current();
        return step();
      });
    } catch (err) {
      if (interruption() && isCancellation(err)) return null;
      throw err;
    } finally {
      running = null;
    }
  }

  async function check(submissionId: string, documentType: 'basic' | 'advanced'): Promise<CheckOutcome> {
    try {
      if (documentType === 'basic') return await provider.verifyBasicDocument({ submissionId });
      const { jobId } = await provider.submitDocumentJob({ submissionId });
      return await provider.documentJobResult({ submissionId, jobId });
    } catch (err) {
      // The provider stayed down through every retry: the partner may submit again later.
      if (err instanceof ActivityFailure && !isCancellation(err)) return PROVIDER_UNAVAILABLE;
      throw err;
    }
  }
}
