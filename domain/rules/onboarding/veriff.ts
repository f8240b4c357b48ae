// The Veriff rules of onboarding: one webhook event against the current session → the new Veriff
// state, what the workflow must do (in this order) and, once Veriff decided, the decision. Pure:
// the workflow (workflows/onboarding/veriff.ts) turns the effects into activities, step changes and search
// attributes, so the rules can be read and tested without Temporal.
import type { NotificationEvent } from '../../contracts/notify.contract';
import type { OnboardingState, OnboardingStep, VeriffEventSignal } from '../../contracts/onboarding.contract';

export type VeriffState = OnboardingState['veriff'];
export type VeriffDecision = 'approved' | 'declined';

/** What one event asks of the workflow, in the order it must happen. */
export type VeriffEffect =
  /** The user's status, written under the deterministic audit key `key`. */
  | { kind: 'setStatus'; status: 'pending_verification'; key: string; reason: string }
  /** The KYC state kept on the user (`users.recordKycState`, provider veriff). */
  | { kind: 'recordKycState'; state: Record<string, unknown> }
  /** A new onboarding step (restarts its deadline clock) with the `KycStatus` search attribute. */
  | { kind: 'setStep'; step: OnboardingStep; kycStatus: string }
  /** Only the `KycStatus` search attribute (a decision ends the Veriff part without a step of its own). */
  | { kind: 'kycStatus'; kycStatus: string }
  | { kind: 'notify'; key: string; event: NotificationEvent; data: Record<string, string> };

export interface VeriffOutcome {
  veriff: VeriffState;
  effects: VeriffEffect[];
  decision: VeriffDecision | null;
  /** Why the event changed nothing at all: a redelivery, or news about a session that is no longer current. */
  ignored?: 'duplicate' | 'other_session';
}

export interface VeriffContext {
  /** The onboarding step when the event is applied. */
  step: OnboardingStep;
  /** Whether this event key was applied before (webhooks are delivered at least once). */
  seen: boolean;
  /** Workflow time, ISO. */
  now: string;
  maxResubmissions: number;
}

/** One Veriff event or decision; `veriff` is not modified. */
export function reduceVeriffEvent(veriff: VeriffState, ev: VeriffEventSignal, ctx: VeriffContext): VeriffOutcome {
  if (ctx.seen) return { veriff, effects: [], decision: null, ignored: 'duplicate' };
  // After an expiry the session is gone; late news about it (even an approval) must not count.
  if (ev.sessionId !== veriff.sessionId) return { veriff, effects: [], decision: null, ignored: 'other_session' };
  const v: VeriffState = { ...veriff, updatedAt: ctx.now };
  const keep = (effects: VeriffEffect[] = []): VeriffOutcome => ({ veriff: v, effects, decision: null });
  // Veriff's own decision: the search attribute, then the KYC state with its detail.
  const decided = (decision: VeriffDecision, detail: Record<string, unknown>): VeriffOutcome => ({
    veriff: v,
    effects: [
      { kind: 'kycStatus', kycStatus: `veriff:${decision}` },
      { kind: 'recordKycState', state: { status: decision, ...detail } },
    ],
    decision,
  });

  switch (ev.status) {
    case 'started':
      // Only meaningful while the user is on Veriff's pages; later it would move the status backwards.
      if (ctx.step === 'awaiting_kyc_submission') v.status = 'started';
      return keep();
    case 'submitted':
    case 'review':
      // A late `submitted` after a `review` changes nothing; either means "wait for a decision".
      if (ctx.step !== 'awaiting_kyc_submission' && !(ev.status === 'review' && ctx.step === 'awaiting_kyc_decision'))
        return keep();
      v.status = ev.status;
      return keep([
        // Database first, so a reader who sees the new step also sees the new user status.
        {
          kind: 'setStatus',
          status: 'pending_verification',
          key: `pending.${veriff.sessionId}.${veriff.resubmissions}`,
          reason: `veriff ${ev.status}`,
        },
        { kind: 'recordKycState', state: { status: ev.status } },
        { kind: 'setStep', step: 'awaiting_kyc_decision', kycStatus: `veriff:${ev.status}` },
      ]);
    case 'approved':
      v.status = 'approved';
      return decided('approved', { decidedAt: ctx.now });
    case 'declined':
      v.status = 'declined';
      v.reason = ev.reason ?? 'declined';
      return decided('declined', { reason: v.reason });
    case 'resubmission_requested':
      v.resubmissions += 1;
      // The limit counts requests: with a limit of N the N-th request is still honoured, the next declines.
      if (v.resubmissions > ctx.maxResubmissions) {
        v.status = 'declined';
        v.reason = 'Resubmission limit reached';
        return {
          veriff: v,
          effects: [{ kind: 'recordKycState', state: { status: 'declined', reason: v.reason } }],
          decision: 'declined',
        };
      }
      v.status = 'resubmission_requested';
      v.reason = ev.reason;
      // The session stays valid: the user goes back to it (createKycSession hands it out again).
      return keep([
        { kind: 'setStep', step: 'awaiting_kyc_submission', kycStatus: 'veriff:resubmission_requested' },
        { kind: 'recordKycState', state: { status: v.status, resubmissions: v.resubmissions } },
        {
          kind: 'notify',
          key: `kyc-resubmission.${v.resubmissions}`,
          event: 'kyc_resubmission',
          data: { reason: ev.reason ?? '' },
        },
      ]);
    case 'expired':
    case 'abandoned':
      // The session is dropped, so the next createKycSession starts a new one.
      Object.assign(v, { status: ev.status, sessionId: null, url: null });
      return keep([
        { kind: 'setStep', step: 'awaiting_kyc_session', kycStatus: `veriff:${ev.status}` },
        { kind: 'recordKycState', state: { status: ev.status, sessionId: null } },
        // The reminder: the user can ask for a new session at any time.
        { kind: 'notify', key: `kyc-expired.${veriff.sessionId}`, event: 'kyc_session_expired', data: {} },
      ]);
  }
}
