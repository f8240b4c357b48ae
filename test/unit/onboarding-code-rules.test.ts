import type { OnboardingStep } from '../../domain/contracts/onboarding.contract';
import { OnboardingFailures } from '../../domain/failures/onboarding-failures';
import {
  askForCode,
  checkCode,
  codeArrived,
  type CodeRefusal,
  codeValidityHours,
  type EmailState,
  type IssuedCodes,
  noCodesYet,
  refuseConfirm,
  refuseOutsideConfirmation,
  refuseResend,
} from '../../domain/rules/onboarding/confirmation-code';

// The confirmation-code rules without Temporal: refusals are the catalog's typed failures.
const HOUR = 3_600_000;
const policy = { codeTtlMs: 24 * HOUR, codeMaxAttempts: 5, resendCooldownMs: 60_000 };
const T0 = Date.parse('2026-11-27T10:00:00.000Z');
const email: EmailState = {
  confirmedAt: null,
  codeExpiresAt: new Date(T0 + 24 * HOUR).toISOString(),
  attemptsLeft: 5,
  resendsLeft: 3,
};
const codes: IssuedCodes = { digest: 'd1', expiresAtMs: T0 + 24 * HOUR, issued: 1, inEffect: 1, lastSentAtMs: T0 };
const waiting: OnboardingStep = 'awaiting_confirmation';

/** The refusal as [type, details] (null when accepted), for table rows. */
const typeOf = (f: CodeRefusal | null) => (f ? [f.type, f.details?.[0] ?? null] : null);

describe('onboarding rules: confirmation code', () => {
  it.each<[string, Partial<EmailState>, OnboardingStep, unknown]>([
    [
      'already confirmed (even at another step)',
      { confirmedAt: '2026-11-27T10:01:00.000Z' },
      'awaiting_kyc_session',
      ['ALREADY_CONFIRMED', null],
    ],
    ['not waiting for a code', {}, 'registering', ['WRONG_STEP', { step: 'registering' }]],
    ['waiting for a code', {}, waiting, null],
  ])('confirm or resend when %s', (_, e, step, expected) => {
    expect(typeOf(refuseOutsideConfirmation({ ...email, ...e }, step))).toEqual(expected);
    expect(typeOf(refuseConfirm({ ...email, ...e }, codes, step, 'd1', T0))).toEqual(expected);
    expect(typeOf(refuseResend({ ...email, ...e }, codes, step, T0 + HOUR, policy))).toEqual(expected);
  });

  it.each<[string, Partial<EmailState>, Partial<IssuedCodes>, unknown, number, unknown]>([
    ['no code has arrived yet', {}, { digest: null }, 'd1', T0, ['INVALID_CODE', { remainingAttempts: null }]],
    ['the attempt is not a string', {}, {}, 42, T0, ['INVALID_CODE', { remainingAttempts: null }]],
    ['the code is locked', { attemptsLeft: 0 }, {}, 'd1', T0, ['TOO_MANY_ATTEMPTS', null]],
    [
      'a locked code is also expired (the lock is reported)',
      { attemptsLeft: 0 },
      {},
      'd1',
      T0 + 25 * HOUR,
      ['TOO_MANY_ATTEMPTS', null],
    ],
    ['at its expiry millisecond (still valid)', {}, {}, 'd1', T0 + 24 * HOUR, null],
    ['one millisecond after expiry', {}, {}, 'd1', T0 + 24 * HOUR + 1, ['CODE_EXPIRED', null]],
    ['a wrong code before expiry (judged by the handler)', {}, {}, 'nope', T0, null],
  ])('confirm validator when %s', (_, e, c, attempt, now, expected) => {
    expect(typeOf(refuseConfirm({ ...email, ...e }, { ...codes, ...c }, waiting, attempt, now))).toEqual(expected);
  });

  it.each<[number, string, unknown]>([
    [5, 'd1', { ok: true }],
    [5, 'nope', { ok: false, attemptsLeft: 4, failure: ['INVALID_CODE', { remainingAttempts: 4 }] }],
    [2, 'nope', { ok: false, attemptsLeft: 1, failure: ['INVALID_CODE', { remainingAttempts: 1 }] }],
    // The last wrong try locks the code.
    [1, 'nope', { ok: false, attemptsLeft: 0, failure: ['TOO_MANY_ATTEMPTS', null] }],
    // Never below zero (two tries racing past the validator).
    [0, 'nope', { ok: false, attemptsLeft: 0, failure: ['TOO_MANY_ATTEMPTS', null] }],
  ])('with %i attempts left, %p → %p', (attemptsLeft, attempt, expected) => {
    const r = checkCode({ ...email, attemptsLeft }, codes, attempt);
    expect(r.ok ? r : { ...r, failure: typeOf(r.failure) }).toEqual(expected);
  });

  it('refusals are the catalog failures, typed and non-retryable', () => {
    const f = refuseConfirm(email, codes, waiting, 'd1', T0 + 25 * HOUR)!;
    expect(OnboardingFailures.is(f, 'CODE_EXPIRED')).toBe(true);
    expect(f.nonRetryable).toBe(true);
  });

  it.each<[string, Partial<EmailState>, number, unknown]>([
    ['no resends left', { resendsLeft: 0 }, T0 + HOUR, ['RESEND_LIMIT', { retryAfterSeconds: null }]],
    [
      'no resends left, inside the cooldown (the count is reported)',
      { resendsLeft: 0 },
      T0,
      ['RESEND_LIMIT', { retryAfterSeconds: null }],
    ],
    ['right after the last code', {}, T0, ['RESEND_LIMIT', { retryAfterSeconds: 60 }]],
    [
      '1 ms before the cooldown ends (rounded up to a second)',
      {},
      T0 + 59_999,
      ['RESEND_LIMIT', { retryAfterSeconds: 1 }],
    ],
    ['1.001 s before it ends', {}, T0 + 58_999, ['RESEND_LIMIT', { retryAfterSeconds: 2 }]],
    ['exactly when the cooldown ends', {}, T0 + 60_000, null],
    ['after the cooldown', {}, T0 + HOUR, null],
  ])('resend validator when %s', (_, e, now, expected) => {
    expect(typeOf(refuseResend({ ...email, ...e }, codes, waiting, now, policy))).toEqual(expected);
  });

  it('asking for a code numbers it and starts the cooldown at the request', () => {
    const asked = askForCode(noCodesYet(), T0);
    expect(asked).toEqual({ n: 1, codes: { ...noCodesYet(), issued: 1, lastSentAtMs: T0 } });
    // Not in effect before it arrived: confirm still has nothing to compare with.
    expect(typeOf(refuseConfirm(email, asked.codes, waiting, 'd1', T0))).toEqual([
      'INVALID_CODE',
      { remainingAttempts: null },
    ]);
    expect(askForCode(asked.codes, T0 + 5).n).toBe(2);
  });

  it('an arrived code takes effect with a fresh expiry and fresh attempts', () => {
    const asked = askForCode(codes, T0 + HOUR);
    const r = codeArrived(
      asked.codes,
      { ...email, attemptsLeft: 0 },
      { n: asked.n, digest: 'd2' },
      T0 + HOUR + 300,
      policy,
    );
    expect(r).toEqual({
      codes: { digest: 'd2', expiresAtMs: T0 + 25 * HOUR + 300, issued: 2, inEffect: 2, lastSentAtMs: T0 + HOUR },
      email: { ...email, attemptsLeft: 5, codeExpiresAt: new Date(T0 + 25 * HOUR + 300).toISOString() },
    });
  });

  it('a resend racing the reminder: the later code wins whichever arrives last', () => {
    let c = codes;
    const reminder = askForCode(c, T0 + 24 * HOUR);
    c = reminder.codes;
    const resend = askForCode(c, T0 + 24 * HOUR + 10);
    c = resend.codes;
    // The resend's code arrives first and takes effect…
    const first = codeArrived(c, email, { n: resend.n, digest: 'd-resend' }, T0 + 24 * HOUR + 20, policy)!;
    expect(first.codes).toMatchObject({ digest: 'd-resend', inEffect: 3, issued: 3 });
    // …the reminder's code, asked for earlier, arrives later and changes nothing.
    expect(
      codeArrived(first.codes, first.email, { n: reminder.n, digest: 'd-reminder' }, T0 + 24 * HOUR + 30, policy),
    ).toBeNull();
    expect(checkCode(first.email, first.codes, 'd-resend')).toEqual({ ok: true });
    expect(checkCode(first.email, first.codes, 'd-reminder').ok).toBe(false);
    // In order, the later code also wins.
    const inOrder = codeArrived(c, email, { n: reminder.n, digest: 'd-reminder' }, T0 + 24 * HOUR + 20, policy)!;
    expect(
      codeArrived(inOrder.codes, inOrder.email, { n: resend.n, digest: 'd-resend' }, T0 + 24 * HOUR + 30, policy)!.codes
        .digest,
    ).toBe('d-resend');
    // Cooldown counts from the latest request, not the latest arrival.
    expect(typeOf(refuseResend(email, c, waiting, T0 + 24 * HOUR + 10 + 59_999, policy))).toEqual([
      'RESEND_LIMIT',
      { retryAfterSeconds: 1 },
    ]);
  });

  it.each([
    [24 * HOUR, '24'],
    [HOUR, '1'],
    [90 * 60_000, '2'],
    [10 * 60_000, '0'],
  ])('a TTL of %i ms is told as %s hours', (ttl, hours) => {
    expect(codeValidityHours({ codeTtlMs: ttl })).toBe(hours);
  });
});
