import { condition, setHandler } from '@temporalio/workflow';

import type { KycActivities } from '../../activities/kyc/create-kyc-activities';
import {
  createKycSessionUpdate,
  type KycSessionResult,
  moveToManualReviewUpdate,
  type OnboardingOutcome,
  type VeriffEventSignal,
  veriffEventSignal,
} from '../../domain/contracts/onboarding.contract';
import { ActivityFailures, OnboardingFailures } from '../../domain/failures/catalog';
import { reduceVeriffEvent, type VeriffDecision } from '../../domain/rules/onboarding/veriff';
import { notify } from './activities';
import { endOfWait, reject } from './end';
import { holdKycStatus, iso, type Run, setStep } from './state';
import type { UserWriter } from './user-writer';
import { waitInStep } from './waits';

/** The Veriff part: sessions on request (update), webhook events (signal) until Veriff decides. */
export function createVeriffStep(run: Run, writer: UserWriter, kyc: Pick<KycActivities, 'createVeriffSession'>) {
  const { s, userId } = run;
  let creatingSession: Promise<KycSessionResult> | null = null;

  setHandler(
    createKycSessionUpdate,
    async () => {
      // The current session stays valid through resubmissions: hand it out again.
      if (s.veriff.sessionId && s.veriff.url) return { sessionId: s.veriff.sessionId, url: s.veriff.url };
      creatingSession ??= (async () => {
        try {
          const session = await kyc.createVeriffSession({ userId });
          Object.assign(s.veriff, {
            sessionId: session.sessionId,
            url: session.url,
            status: 'created',
            updatedAt: iso(Date.now()),
          });
          setStep(run, 'awaiting_kyc_submission', 'veriff:created');
          await writer.recordKycState('veriff', { sessionId: session.sessionId, status: 'created' });
          return session;
        } finally {
          creatingSession = null;
        }
      })();
      return creatingSession;
    },
    {
      validator: () => {
        if (s.step !== 'awaiting_kyc_session' && s.step !== 'awaiting_kyc_submission') {
          throw OnboardingFailures.create('WRONG_STEP', `No identity session can be started at step ${s.step}`, {
            step: s.step,
          });
        }
      },
    },
  );
  setHandler(veriffEventSignal, (ev) => {
    run.veriffQueue.push(ev);
  });

  // An operator's manual review (cases' move_to_manual_review): queued as a `review` of the current
  // session, so the same rules apply it in turn with the webhooks; answers once the run shows it.
  let manualReviews = 0;
  setHandler(
    moveToManualReviewUpdate,
    async () => {
      manualReviews += 1;
      run.veriffQueue.push({
        eventKey: `operator-review.${s.veriff.sessionId}.${s.veriff.resubmissions}.${manualReviews}`,
        sessionId: s.veriff.sessionId!,
        kind: 'event',
        status: 'review',
        code: null,
        reason: null,
      });
      await condition(() => s.step !== 'awaiting_kyc_submission' || run.adminClose !== null);
      return { step: s.step, kycStatus: `veriff:${s.veriff.status}` };
    },
    {
      validator: (req) => {
        if (!req?.actor || !req.reason)
          throw ActivityFailures.create('VALIDATION_ERROR', 'actor and reason are required');
        if (s.step !== 'awaiting_kyc_submission' || !s.veriff.sessionId || s.outcome !== null || run.adminClose) {
          throw OnboardingFailures.create('WRONG_STEP', `No manual review can start at step ${s.step}`, {
            step: s.step,
          });
        }
      },
    },
  );

  /**
   * One Veriff event: the rules (domain/rules/onboarding/veriff.ts) decide, this carries out their
   * effects in their order. Redeliveries and news about an old session change nothing. 'closed':
   * an admin's change came before the status this event asked for.
   */
  async function applyVeriffEvent(ev: VeriffEventSignal): Promise<VeriffDecision | 'closed' | null> {
    const seen = run.seenEvents.has(ev.eventKey);
    const r = reduceVeriffEvent(s.veriff, ev, {
      step: s.step,
      seen,
      now: iso(Date.now()),
      maxResubmissions: run.input.policy.veriffMaxResubmissions,
    });
    if (r.ignored) return null;
    run.seenEvents.add(ev.eventKey);
    Object.assign(s.veriff, r.veriff);
    for (const e of r.effects) {
      if (e.kind === 'setStatus') {
        if (!(await writer.setStatus(e.status, e.key, { reason: e.reason }))) return 'closed';
      } else if (e.kind === 'recordKycState') await writer.recordKycState('veriff', e.state);
      else if (e.kind === 'setStep') setStep(run, e.step, e.kycStatus);
      else if (e.kind === 'kycStatus') holdKycStatus(run, e.kycStatus);
      else await notify(run, e.key, e.event, e.data);
    }
    return r.decision;
  }

  /** Waits in the Veriff steps for a decision: null once approved, else how the run ends. */
  return async function awaitVeriffDecision(): Promise<OnboardingOutcome | null> {
    for (;;) {
      const waited = await waitInStep(run, () => run.veriffQueue.length > 0 && creatingSession === null);
      if (waited !== 'done') return endOfWait(run, waited);
      const decision = await applyVeriffEvent(run.veriffQueue.shift()!);
      if (decision === 'closed') return endOfWait(run, decision);
      if (decision === 'declined')
        return reject(run, writer, s.veriff.reason ?? 'Identity verification declined', 'kyc-declined');
      if (decision === 'approved') {
        s.timestamps.kycApprovedAt = iso(Date.now());
        s.kycLevel = 'basic';
        return null;
      }
    }
  };
}
