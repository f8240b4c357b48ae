import type { CreateUserResult } from '../../activities/users/create-user-activities';
import { confirmationDeadlines, extended, nextWake } from '../../domain/rules/onboarding/step-deadlines';
import { SA } from '../../domain/search-attributes';
import { type Confirmation, enterKycSessionStep, sendCode } from './confirm';
import { iso, type Run, setStep } from './state';
import { type Waited, waitFor } from './waits';

/**
 * Enters the first step (upserting the tenant with it) and waits for the confirmed address: the
 * code, a reminder with a fresh code, then the end ('timeout': abandoned). A replacing registration
 * sent its own code and restarts the clock. A reopened account (input.reopened) proved its mailbox
 * long ago: straight to a new identity verification.
 */
export async function awaitConfirmation(
  run: Run,
  c: Confirmation,
  created: CreateUserResult & { ok: true },
): Promise<Waited> {
  const { s } = run;
  const tenant = { key: SA.TenantId, value: created.tenantId ?? 'none' };
  if (run.input.reopened && created.confirmedAt) {
    s.email.confirmedAt = created.confirmedAt;
    s.timestamps.confirmedAt = created.confirmedAt;
    setStep(run, 'awaiting_kyc_session', 'veriff:none', [tenant]);
    return 'done';
  }
  setStep(run, 'awaiting_confirmation', 'none', [tenant]);
  const confirmBy = confirmationDeadlines(run.input.policy);
  s.nextReminderAt = iso(nextWake(c.clock.fromMs, confirmBy, false).at);
  await sendCode(run, c, 'verification_code', 'registration');
  const confirmed = () => s.email.confirmedAt !== null;
  let reminded = false;
  for (let epoch = c.clock.epoch; !confirmed();) {
    const extensions = run.extensions;
    const wake = nextWake(c.clock.fromMs, extended(confirmBy, run.extensionMs), reminded);
    s.nextReminderAt = reminded ? null : iso(wake.at);
    const waited = await waitFor(
      run,
      () => confirmed() || c.clock.epoch !== epoch || run.extensions !== extensions,
      wake.at - Date.now(),
    );
    if (waited === 'closed') return waited;
    if (confirmed()) break;
    if (run.extensions !== extensions) continue; // an operator moved the end: re-arm
    if (c.clock.epoch !== epoch) {
      epoch = c.clock.epoch;
      reminded = false;
      continue;
    }
    if (reminded) return 'timeout';
    reminded = true;
    s.nextReminderAt = null;
    await sendCode(run, c, 'confirm_reminder', 'later');
  }
  if (s.step === 'awaiting_confirmation') enterKycSessionStep(run);
  return 'done';
}
