// The email-confirmation code rules: who may try a code, when it has expired, how many wrong tries
// lock it, when a new one may be sent, and which of two codes in flight counts. Pure: refusals are
// the typed failures of domain/failures (the workflow's update validators throw them), time is
// passed in as workflow milliseconds.
import type { OnboardingPolicy, OnboardingState, OnboardingStep } from '../../contracts/onboarding.contract';
import { OnboardingFailures } from '../../failures/onboarding-failures';

const fail = OnboardingFailures.create;
export type CodeRefusal = ReturnType<typeof fail>;

/** What the user sees (the `email` part of the onboarding state). */
export type EmailState = OnboardingState['email'];

/** What only the workflow knows about the codes it sent. */
export interface IssuedCodes {
  /** Keyed digest of the code in effect; null until the first one arrived. */
  digest: string | null;
  expiresAtMs: number;
  /** Codes asked for so far, and the number of the one in effect: a later code always wins. */
  issued: number;
  inEffect: number;
  /** When the last code was asked for (the resend cooldown runs from here). */
  lastSentAtMs: number;
}

export const noCodesYet = (): IssuedCodes => ({
  digest: null,
  expiresAtMs: 0,
  issued: 0,
  inEffect: 0,
  lastSentAtMs: 0,
});

type CodePolicy = Pick<OnboardingPolicy, 'codeTtlMs' | 'codeMaxAttempts' | 'resendCooldownMs'>;

/** Confirm and resend only make sense while the run waits for the code. */
export function refuseOutsideConfirmation(email: EmailState, step: OnboardingStep): CodeRefusal | null {
  if (email.confirmedAt) return fail('ALREADY_CONFIRMED', 'The email is already confirmed');
  if (step !== 'awaiting_confirmation') return fail('WRONG_STEP', 'This account is not waiting for a code', { step });
  return null;
}

/** Before a confirm attempt is accepted (the update's validator): step, lock, expiry. */
export function refuseConfirm(
  email: EmailState,
  codes: IssuedCodes,
  step: OnboardingStep,
  attempt: unknown,
  nowMs: number,
): CodeRefusal | null {
  const wrongStep = refuseOutsideConfirmation(email, step);
  if (wrongStep) return wrongStep;
  if (typeof attempt !== 'string' || !codes.digest)
    return fail('INVALID_CODE', 'The code is not correct', { remainingAttempts: null });
  if (email.attemptsLeft <= 0) return fail('TOO_MANY_ATTEMPTS', 'Too many wrong codes: request a new one');
  // Valid up to and including its expiry millisecond.
  if (nowMs > codes.expiresAtMs) return fail('CODE_EXPIRED', 'The code has expired: request a new one');
  return null;
}

/** The attempt against the code in effect: right, or wrong with the attempts left (0 locks the code). */
export function checkCode(
  email: EmailState,
  codes: IssuedCodes,
  attempt: string,
): { ok: true } | { ok: false; attemptsLeft: number; failure: CodeRefusal } {
  if (attempt === codes.digest) return { ok: true };
  const attemptsLeft = Math.max(0, email.attemptsLeft - 1);
  if (attemptsLeft === 0)
    return { ok: false, attemptsLeft, failure: fail('TOO_MANY_ATTEMPTS', 'Too many wrong codes: request a new one') };
  return {
    ok: false,
    attemptsLeft,
    failure: fail('INVALID_CODE', 'The code is not correct', { remainingAttempts: attemptsLeft }),
  };
}

/** Before a resend is accepted: step, the count, then the cooldown from the last code asked for. */
export function refuseResend(
  email: EmailState,
  codes: IssuedCodes,
  step: OnboardingStep,
  nowMs: number,
  policy: CodePolicy,
): CodeRefusal | null {
  const wrongStep = refuseOutsideConfirmation(email, step);
  if (wrongStep) return wrongStep;
  if (email.resendsLeft <= 0)
    return fail('RESEND_LIMIT', 'No more codes can be sent for this registration', { retryAfterSeconds: null });
  const waitMs = codes.lastSentAtMs + policy.resendCooldownMs - nowMs;
  if (waitMs > 0)
    return fail('RESEND_LIMIT', 'A code was sent moments ago', { retryAfterSeconds: Math.ceil(waitMs / 1000) });
  return null;
}

/** A new code is asked for: its number, and the cooldown starts now (not when the code arrives). */
export function askForCode(codes: IssuedCodes, nowMs: number): { n: number; codes: IssuedCodes } {
  const n = codes.issued + 1;
  return { n, codes: { ...codes, issued: n, lastSentAtMs: nowMs } };
}

/**
 * Code number `n` arrived. A later code (a resend racing the reminder) always wins over an earlier
 * one, whichever arrives last; a code that lost changes nothing (null). The winner gets a fresh
 * expiry and a fresh set of attempts.
 */
export function codeArrived(
  codes: IssuedCodes,
  email: EmailState,
  arrived: { n: number; digest: string },
  nowMs: number,
  policy: CodePolicy,
): { codes: IssuedCodes; email: EmailState } | null {
  if (arrived.n <= codes.inEffect) return null;
  const expiresAtMs = nowMs + policy.codeTtlMs;
  return {
    codes: { ...codes, inEffect: arrived.n, digest: arrived.digest, expiresAtMs },
    email: { ...email, codeExpiresAt: new Date(expiresAtMs).toISOString(), attemptsLeft: policy.codeMaxAttempts },
  };
}

/** How long a code is valid, as the message tells it ("24" hours). */
export const codeValidityHours = (policy: Pick<OnboardingPolicy, 'codeTtlMs'>) =>
  String(Math.round(policy.codeTtlMs / 3_600_000));
