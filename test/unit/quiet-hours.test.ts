import { isQuiet, outsideQuietHours, planReminders } from '../../domain/rules/quiet-hours';

const quiet = { start: '21:00', end: '08:00' };

describe('reminder timing and quiet hours', () => {
  it('treats a window across midnight correctly', () => {
    expect(isQuiet(21 * 60, quiet)).toBe(true);
    expect(isQuiet(3 * 60, quiet)).toBe(true);
    expect(isQuiet(8 * 60, quiet)).toBe(false);
    expect(isQuiet(20 * 60 + 59, quiet)).toBe(false);
    expect(isQuiet(13 * 60, { start: '12:00', end: '14:00' })).toBe(true);
  });

  it('moves a send inside quiet hours to the end of the window in the user’s zone', () => {
    // 22:30 in Lagos (UTC+1) is 21:30Z → 08:00 Lagos next day = 07:00Z.
    expect(outsideQuietHours(new Date('2026-01-05T21:30:15Z'), 'Africa/Lagos', quiet).toISOString()).toBe(
      '2026-01-06T07:00:00.000Z',
    );
    // The same instant is 16:30 in New York: not quiet there.
    expect(outsideQuietHours(new Date('2026-01-05T21:30:15Z'), 'America/New_York', quiet).toISOString()).toBe(
      '2026-01-05T21:30:15.000Z',
    );
  });

  it('plans the ladder from creation and drops steps at or after the due date', () => {
    const created = new Date('2026-01-05T11:00:00Z'); // 12:00 Lagos
    const plan = planReminders(created, new Date('2026-01-08T11:00:00Z'), {
      timezone: 'Africa/Lagos',
      quietHours: quiet,
      ladder: [
        { channel: 'email', afterMinutes: 24 * 60 },
        { channel: 'sms', afterMinutes: 36 * 60 },
        { channel: 'push', afterMinutes: 5 * 24 * 60 },
      ],
    });
    expect(plan.map((r) => [r.channel, r.at.toISOString()])).toEqual([
      ['email', '2026-01-06T11:00:00.000Z'],
      ['sms', '2026-01-07T07:00:00.000Z'], // 00:00 Lagos → 08:00 Lagos
    ]);
  });
});
