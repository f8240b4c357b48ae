import { condition, setHandler } from '@temporalio/workflow';

import type { CreateUserResult } from '../../activities/users/create-user-activities';
import {
  confirmEmailUpdate,
  type RegisterResult,
  registerUpdate,
  type RegistrationRefusal,
  resendCodeUpdate,
} from '../../domain/contracts/onboarding.contract';
import { OnboardingFailures } from '../../domain/failures/catalog';
import {
  askForCode,
  checkCode,
  codeArrived,
  codeValidityHours,
  type IssuedCodes,
  noCodesYet,
  refuseConfirm,
  refuseResend,
} from '../../domain/rules/onboarding/confirmation-code';
import { local, notify, remote } from './activities';
import { iso, type Run, setStep } from './state';
import type { UserWriter } from './user-writer';

const fail = OnboardingFailures.create;

function refusal(reason: RegistrationRefusal) {
  if (reason === 'ACCOUNT_REJECTED')
    return fail('ACCOUNT_REJECTED', 'This account was rejected; registering again does not reopen it');
  return reason === 'EMAIL_TAKEN'
    ? fail('EMAIL_TAKEN', 'This email is already registered')
    : fail('ORG_NOT_FOUND', 'Organization not found');
}

/**
 * The registration and the email confirmation (the register / confirmEmail / resendCode updates; the
 * wait is ./confirm-wait.ts). The rules of codes live in domain/rules/onboarding/confirmation-code.ts.
 * No code enters this history (issue 22): an activity returns the digest of the code of one email
 * (derived from the email's notification id) and the notifications worker computes the code itself
 * when it sends.
 */
export interface Confirmation {
  registration: { ok: true } | { ok: false; reason: RegistrationRefusal } | undefined;
  /** The registration whose details the user record holds: a later one for the same unconfirmed address replaces it. */
  currentFingerprint: string;
  /** Reminder and end count from `fromMs`; a replacing registration restarts it (a new epoch). */
  clock: { fromMs: number; epoch: number };
  /** One replacement at a time, so the code in effect always belongs to the record last written. */
  replacing: Promise<unknown>;
  /** The codes sent so far (the rules decide what they allow), reset by a replacing registration. */
  codes: IssuedCodes;
  /** Confirmation emails sent by this run (never reset): each has its own notification id, so its own code. */
  codeEmails: number;
}

export const newConfirmation = (run: Run): Confirmation => ({
  registration: undefined,
  currentFingerprint: run.input.requestFingerprint,
  clock: { fromMs: Date.now(), epoch: 0 },
  replacing: Promise.resolve(),
  codes: noCodesYet(),
  codeEmails: 0,
});

const registered = (run: Run): RegisterResult => ({
  userId: run.userId,
  tenantId: run.s.tenantId,
  status: 'not_verified' as const,
});

/** The user record exists (or cannot): the register update answers from now on. */
export function settleRegistration(run: Run, c: Confirmation, created: CreateUserResult) {
  c.registration = created.ok ? { ok: true } : { ok: false, reason: created.reason };
  if (!created.ok) return;
  run.s.tenantId = created.tenantId;
  run.s.bridge.required = created.bridgeRequired;
}

/**
 * Sends a code by email. Only the registration's own code is asked for locally: a later one
 * (reminder, resend, replacement) is an activity task, so it never holds the workflow task open
 * while the user confirms with the first code.
 */
export async function sendCode(
  run: Run,
  c: Confirmation,
  event: 'verification_code' | 'confirm_reminder',
  at: 'registration' | 'later',
) {
  const { policy } = run.input;
  const asked = askForCode(c.codes, Date.now());
  c.codes = asked.codes;
  const key = `code-email.${++c.codeEmails}`;
  const issue = at === 'registration' ? local.users.issueConfirmationDigest : remote.users.issueConfirmationDigest;
  const { digest } = await issue({ userId: run.userId, notificationId: run.key(key) });
  // Another code may have been asked for meanwhile: the rule keeps the later one in effect.
  const arrived = codeArrived(c.codes, run.s.email, { n: asked.n, digest }, Date.now(), policy);
  if (arrived) {
    c.codes = arrived.codes;
    Object.assign(run.s.email, arrived.email);
  }
  await notify(run, key, event, { expiresInHours: codeValidityHours(policy) }, ['email']);
}

/**
 * A newer registration of this still unconfirmed address: the codes sent so far stop working at
 * once (whoever asked for them never proved the mailbox), the record takes the new details (the
 * activity re-checks, on the locked record, that nobody confirmed meanwhile), a new code goes out
 * and the confirmation's reminder and end count from now.
 */
async function replaceRegistration(
  run: Run,
  writer: UserWriter,
  c: Confirmation,
  requestFingerprint: string,
  sealedRegistration: string | undefined,
): Promise<RegisterResult> {
  const { s } = run;
  const { policy } = run.input;
  if (requestFingerprint === c.currentFingerprint) return registered(run);
  if (s.email.confirmedAt || s.step !== 'awaiting_confirmation')
    throw fail('EMAIL_TAKEN', 'This email is already registered');
  c.codes = noCodesYet();
  Object.assign(s.email, {
    codeExpiresAt: null,
    attemptsLeft: policy.codeMaxAttempts,
    resendsLeft: policy.codeMaxResends,
  });
  const replaced = await writer.create(requestFingerprint, sealedRegistration);
  if (!replaced.ok) throw refusal(replaced.reason);
  c.currentFingerprint = requestFingerprint;
  s.tenantId = replaced.tenantId;
  s.bridge.required = replaced.bridgeRequired;
  s.timestamps.registeredAt = iso(Date.now());
  c.clock = { fromMs: Date.now(), epoch: c.clock.epoch + 1 };
  await sendCode(run, c, 'verification_code', 'later');
  return registered(run);
}

/** The user's actions on the registration: register (again), confirm the code, ask for a new one. */
export function handleConfirmationUpdates(run: Run, writer: UserWriter, c: Confirmation) {
  const { s } = run;
  setHandler(registerUpdate, async ({ requestFingerprint, sealedRegistration }) => {
    await condition(() => c.registration !== undefined);
    if (!c.registration!.ok) throw refusal(c.registration!.reason);
    if (requestFingerprint === c.currentFingerprint) return registered(run);
    // Same address, another request. Once its mailbox is proven the address is taken; until then
    // the newer registration replaces this one wholly (docs/onboarding.md, "Registering again").
    if (s.email.confirmedAt || s.step !== 'awaiting_confirmation')
      throw fail('EMAIL_TAKEN', 'This email is already registered');
    const next = c.replacing.then(() => replaceRegistration(run, writer, c, requestFingerprint, sealedRegistration));
    c.replacing = next.catch(() => undefined);
    return next;
  });

  setHandler(
    confirmEmailUpdate,
    async ({ codeDigest: attempt }) => {
      const check = checkCode(s.email, c.codes, attempt);
      if (!check.ok) {
        s.email.attemptsLeft = check.attemptsLeft;
        throw check.failure;
      }
      const at = iso(Date.now());
      await writer.markEmailConfirmed(at);
      s.email.confirmedAt = at;
      s.timestamps.confirmedAt = at;
      // Read-your-writes: once this update answers, the next call (kyc-session) must find the
      // new step, even if the main flow is still busy (e.g. sending the reminder code).
      enterKycSessionStep(run);
      return { confirmedAt: at };
    },
    {
      validator: ({ codeDigest: attempt }) => {
        const refused = refuseConfirm(s.email, c.codes, s.step, attempt, Date.now());
        if (refused) throw refused;
      },
    },
  );

  setHandler(
    resendCodeUpdate,
    async () => {
      s.email.resendsLeft -= 1;
      await sendCode(run, c, 'verification_code', 'later');
      return { codeExpiresAt: s.email.codeExpiresAt!, resendsLeft: s.email.resendsLeft };
    },
    {
      validator: () => {
        const refused = refuseResend(s.email, c.codes, s.step, Date.now(), run.input.policy);
        if (refused) throw refused;
      },
    },
  );
}

export function enterKycSessionStep(run: Run) {
  run.s.nextReminderAt = null;
  setStep(run, 'awaiting_kyc_session', 'veriff:none');
}
