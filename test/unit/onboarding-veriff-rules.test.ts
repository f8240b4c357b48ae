import type { OnboardingStep, VeriffEventSignal } from '../../domain/contracts/onboarding.contract';
import { reduceVeriffEvent, type VeriffState } from '../../domain/rules/onboarding/veriff';

// The Veriff rules of onboarding, branch by branch, without Temporal. The workflow replays these
// effects verbatim (test/replay holds a saved run of every branch).
const NOW = '2026-11-27T10:00:00.000Z';
const session: VeriffState = {
  sessionId: 'sess-1',
  url: 'https://veriff.test/s/1',
  status: 'created',
  resubmissions: 0,
  reason: null,
  updatedAt: null,
};
const ev = (status: VeriffEventSignal['status'], extra: Partial<VeriffEventSignal> = {}): VeriffEventSignal => ({
  eventKey: `k-${status}`,
  sessionId: 'sess-1',
  kind: status === 'started' || status === 'submitted' ? 'event' : 'decision',
  status,
  code: null,
  reason: null,
  ...extra,
});
const apply = (
  status: VeriffEventSignal['status'],
  step: OnboardingStep,
  opts: { v?: Partial<VeriffState>; ev?: Partial<VeriffEventSignal>; seen?: boolean; max?: number } = {},
) =>
  reduceVeriffEvent({ ...session, ...opts.v }, ev(status, opts.ev), {
    step,
    seen: opts.seen ?? false,
    now: NOW,
    maxResubmissions: opts.max ?? 2,
  });

describe('onboarding rules: Veriff events', () => {
  it('ignores a redelivered event and news about a session that is not the current one, without touching the state', () => {
    const before = { ...session };
    expect(apply('approved', 'awaiting_kyc_decision', { seen: true })).toEqual({
      veriff: before,
      effects: [],
      decision: null,
      ignored: 'duplicate',
    });
    // After an expiry the session is gone: even an approval for it must not count.
    expect(apply('approved', 'awaiting_kyc_session', { v: { sessionId: null, url: null } })).toMatchObject({
      effects: [],
      decision: null,
      ignored: 'other_session',
    });
    expect(apply('submitted', 'awaiting_kyc_submission', { ev: { sessionId: 'sess-0' } })).toMatchObject({
      veriff: session,
      effects: [],
      ignored: 'other_session',
    });
  });

  it('does not modify the state it was given', () => {
    const v = { ...session };
    apply('resubmission_requested', 'awaiting_kyc_decision', { v });
    expect(v).toEqual(session);
  });

  it.each<[OnboardingStep, string]>([
    ['awaiting_kyc_submission', 'started'],
    ['awaiting_kyc_decision', 'created'],
    ['awaiting_kyc_session', 'created'],
  ])('`started` in %s → status %s, no effects', (step, status) => {
    expect(apply('started', step)).toEqual({
      veriff: { ...session, status, updatedAt: NOW },
      effects: [],
      decision: null,
    });
  });

  it.each<['submitted' | 'review', OnboardingStep]>([
    ['submitted', 'awaiting_kyc_submission'],
    ['review', 'awaiting_kyc_submission'],
    ['review', 'awaiting_kyc_decision'],
  ])('`%s` in %s → pending_verification, then the KYC state, then the decision wait', (status, step) => {
    const r = apply(status, step, { v: { resubmissions: 1 } });
    expect(r.decision).toBeNull();
    expect(r.veriff).toEqual({ ...session, resubmissions: 1, status, updatedAt: NOW });
    expect(r.effects).toEqual([
      // The audit key names the session and the attempt, so a resubmitted attempt is a new transition.
      { kind: 'setStatus', status: 'pending_verification', key: 'pending.sess-1.1', reason: `veriff ${status}` },
      { kind: 'recordKycState', state: { status } },
      { kind: 'setStep', step: 'awaiting_kyc_decision', kycStatus: `veriff:${status}` },
    ]);
  });

  it.each<['submitted' | 'review', OnboardingStep]>([
    // A late `submitted` after a `review` changes nothing.
    ['submitted', 'awaiting_kyc_decision'],
    ['submitted', 'awaiting_kyc_session'],
    ['review', 'awaiting_kyc_session'],
  ])('`%s` in %s changes nothing but the time of the last news', (status, step) => {
    expect(apply(status, step, { v: { status: 'review' } })).toEqual({
      veriff: { ...session, status: 'review', updatedAt: NOW },
      effects: [],
      decision: null,
    });
  });

  it('approved → the decision, with its time on the KYC state', () => {
    expect(apply('approved', 'awaiting_kyc_decision')).toEqual({
      veriff: { ...session, status: 'approved', updatedAt: NOW },
      effects: [
        { kind: 'kycStatus', kycStatus: 'veriff:approved' },
        { kind: 'recordKycState', state: { status: 'approved', decidedAt: NOW } },
      ],
      decision: 'approved',
    });
  });

  it.each([
    ['Physical document not used', 'Physical document not used'],
    [null, 'declined'],
  ])('declined with reason %p → the decision with reason %p', (reason, kept) => {
    expect(apply('declined', 'awaiting_kyc_decision', { ev: { reason } })).toEqual({
      veriff: { ...session, status: 'declined', reason: kept, updatedAt: NOW },
      effects: [
        { kind: 'kycStatus', kycStatus: 'veriff:declined' },
        { kind: 'recordKycState', state: { status: 'declined', reason: kept } },
      ],
      decision: 'declined',
    });
  });

  it('resubmission below the limit → back to the same session, with the KYC state and a notification', () => {
    expect(
      apply('resubmission_requested', 'awaiting_kyc_decision', { ev: { reason: 'Document not readable' } }),
    ).toEqual({
      veriff: {
        ...session,
        status: 'resubmission_requested',
        resubmissions: 1,
        reason: 'Document not readable',
        updatedAt: NOW,
      },
      effects: [
        { kind: 'setStep', step: 'awaiting_kyc_submission', kycStatus: 'veriff:resubmission_requested' },
        { kind: 'recordKycState', state: { status: 'resubmission_requested', resubmissions: 1 } },
        {
          kind: 'notify',
          key: 'kyc-resubmission.1',
          event: 'kyc_resubmission',
          data: { reason: 'Document not readable' },
        },
      ],
      decision: null,
    });
  });

  it('resubmission limit: the request that reaches it exactly is honoured, the next one declines', () => {
    const reached = apply('resubmission_requested', 'awaiting_kyc_decision', { v: { resubmissions: 1 }, max: 2 });
    expect(reached.decision).toBeNull();
    expect(reached.veriff).toMatchObject({ resubmissions: 2, status: 'resubmission_requested', reason: null });
    expect(reached.effects.at(-1)).toEqual({
      kind: 'notify',
      key: 'kyc-resubmission.2',
      event: 'kyc_resubmission',
      data: { reason: '' },
    });

    const past = apply('resubmission_requested', 'awaiting_kyc_submission', { v: { resubmissions: 2 }, max: 2 });
    expect(past).toEqual({
      veriff: {
        ...session,
        resubmissions: 3,
        status: 'declined',
        reason: 'Resubmission limit reached',
        updatedAt: NOW,
      },
      effects: [{ kind: 'recordKycState', state: { status: 'declined', reason: 'Resubmission limit reached' } }],
      decision: 'declined',
    });
    // A limit of 0: the first request already declines.
    expect(apply('resubmission_requested', 'awaiting_kyc_decision', { max: 0 }).decision).toBe('declined');
  });

  it.each(['expired', 'abandoned'] as const)(
    '%s → the session is dropped, back to waiting for a new one, and the user is told',
    (status) => {
      expect(apply(status, 'awaiting_kyc_submission')).toEqual({
        veriff: { ...session, status, sessionId: null, url: null, updatedAt: NOW },
        effects: [
          { kind: 'setStep', step: 'awaiting_kyc_session', kycStatus: `veriff:${status}` },
          { kind: 'recordKycState', state: { status, sessionId: null } },
          // Keyed by the old session: one message per lost session, whatever the redeliveries.
          { kind: 'notify', key: 'kyc-expired.sess-1', event: 'kyc_session_expired', data: {} },
        ],
        decision: null,
      });
    },
  );
});
