import { loadConfig } from '../../adapters/config';
import { resolveVerificationSettings } from '../../domain/rules/verification-settings';
import { TEST_SECRETS } from '../helpers/config';

describe('verification settings', () => {
  const config = loadConfig({ ...TEST_SECRETS });

  it('defaults to email at 24 h, SMS at 72 h, push at 5 days, quiet 21:00–08:00, due in 7 days', () => {
    expect(resolveVerificationSettings(config, {})).toEqual({
      ladder: [
        { channel: 'email', afterMinutes: 1440 },
        { channel: 'sms', afterMinutes: 4320 },
        { channel: 'push', afterMinutes: 7200 },
      ],
      quietHours: { start: '21:00', end: '08:00' },
      dueDays: 7,
      maxSubmissions: 3,
    });
  });

  it('reads the service ladder from the environment and refuses a malformed one', () => {
    expect(
      loadConfig({ ...TEST_SECRETS, VERIFICATION_REMINDER_LADDER: 'sms@1.5h' }).VERIFICATION_REMINDER_LADDER,
    ).toEqual([{ channel: 'sms', afterMinutes: 90 }]);
    expect(() => loadConfig({ ...TEST_SECRETS, VERIFICATION_REMINDER_LADDER: 'fax@2h' })).toThrow(
      /VERIFICATION_REMINDER_LADDER/,
    );
  });

  it('lets a tenant override each key, ignoring invalid values', () => {
    const s = resolveVerificationSettings(config, {
      verification: {
        ladder: [{ channel: 'sms', afterMinutes: 60 }],
        quietHours: { start: '22:00', end: '7am' },
        maxSubmissions: 5,
      },
    });
    expect(s.ladder).toEqual([{ channel: 'sms', afterMinutes: 60 }]);
    expect(s.quietHours).toEqual({ start: '21:00', end: '08:00' });
    expect(s.maxSubmissions).toBe(5);
    expect(s.dueDays).toBe(7);
  });
});
