import { ONBOARDING_STEPS } from '../../domain/contracts/onboarding.contract';
import {
  confirmationDeadlines,
  kycStepDeadlines,
  nextWake,
  STEP_REMINDERS,
  stepReminder,
} from '../../domain/rules/onboarding/step-deadlines';

const HOUR = 3_600_000;
const POLICY = {
  confirmReminderAfterMs: 24 * HOUR,
  confirmAbandonAfterMs: 72 * HOUR,
  kycStepReminderAfterMs: 72 * HOUR,
  kycStepAbandonAfterMs: 720 * HOUR,
};

describe('onboarding rules: deadlines of a wait', () => {
  const limits = { remindAfterMs: 72 * HOUR, endAfterMs: 720 * HOUR };
  const entered = Date.parse('2026-11-01T00:00:00.000Z');

  it.each([
    [false, entered + 72 * HOUR, 'remind'],
    [true, entered + 720 * HOUR, 'end'],
  ] as const)('reminder sent: %p → wake at the %s time, then %s', (reminded, at, then) => {
    expect(nextWake(entered, limits, reminded)).toEqual({ at, then });
  });

  it('counts from the entry into the step, not from now (a new entry restarts the clock)', () => {
    const reentered = entered + 100 * HOUR;
    expect(nextWake(reentered, limits, false).at).toBe(reentered + 72 * HOUR);
  });

  it('an end set before the reminder: the reminder still comes first, then the end is already due', () => {
    expect(nextWake(entered, { remindAfterMs: 10, endAfterMs: 5 }, false)).toEqual({
      at: entered + 10,
      then: 'remind',
    });
    expect(nextWake(entered, { remindAfterMs: 10, endAfterMs: 5 }, true)).toEqual({ at: entered + 5, then: 'end' });
  });

  it('KYC deadlines come from the policy', () => {
    expect(kycStepDeadlines(POLICY)).toEqual(limits);
    expect(kycStepDeadlines({ kycStepReminderAfterMs: 0, kycStepAbandonAfterMs: 0 })).toEqual({
      remindAfterMs: 0,
      endAfterMs: 0,
    });
  });

  it('the email confirmation counts its reminder and end from the registration', () => {
    const c = confirmationDeadlines(POLICY);
    expect(c).toEqual({ remindAfterMs: 24 * HOUR, endAfterMs: 72 * HOUR });
    expect(nextWake(entered, c, false).at).toBe(entered + 24 * HOUR);
    expect(nextWake(entered, c, true).at).toBe(entered + 72 * HOUR);
  });

  it('every KYC wait has its own reminder text, keyed once per step entry', () => {
    for (const step of ONBOARDING_STEPS.filter(
      (s) => s.startsWith('awaiting_kyc') || s.startsWith('awaiting_bridge'),
    )) {
      expect(STEP_REMINDERS[step]).toEqual(expect.any(String));
      expect(stepReminder(step, 3)).toEqual({
        key: `reminder.${step}.3`,
        event: 'kyc_status_update',
        data: { status: STEP_REMINDERS[step] },
      });
    }
    expect(stepReminder('awaiting_kyc_session', 1).key).not.toBe(stepReminder('awaiting_kyc_session', 2).key);
    expect(stepReminder('registering', 1).data.status).toBe('waiting for you');
  });
});
