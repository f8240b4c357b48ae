// Reminder timing: pure functions (no Temporal imports) shared by the workflow and its tests.
// Quiet hours are wall-clock times in the user's time zone; a reminder that falls inside them
// is moved to the end of the window. Time zones with DST shift by their offset at send time.
import type { ReminderStep, VerificationPlan } from '../contracts/verification-request.contract';

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight of `at` in `timeZone`. */
export function localMinuteOfDay(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function isQuiet(minuteOfDay: number, quiet: { start: string; end: string }): boolean {
  const start = toMinutes(quiet.start);
  const end = toMinutes(quiet.end);
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

/** `at` if it is outside quiet hours, else the first instant after them (local `end`, :00 seconds). */
export function outsideQuietHours(at: Date, timeZone: string, quiet: { start: string; end: string }): Date {
  const minute = localMinuteOfDay(at, timeZone);
  if (!isQuiet(minute, quiet)) return at;
  const wait = (toMinutes(quiet.end) - minute + 1440) % 1440;
  const intoMinute = at.getTime() % 60_000;
  return new Date(at.getTime() + wait * 60_000 - intoMinute);
}

export interface PlannedReminder extends ReminderStep {
  index: number;
  at: Date;
}

/** The ladder as absolute send times; steps that would land at or after the due date are dropped. */
export function planReminders(
  createdAt: Date,
  dueAt: Date,
  plan: Pick<VerificationPlan, 'ladder' | 'timezone' | 'quietHours'>,
): PlannedReminder[] {
  return plan.ladder
    .map((step, index) => ({
      ...step,
      index,
      at: outsideQuietHours(new Date(createdAt.getTime() + step.afterMinutes * 60_000), plan.timezone, plan.quietHours),
    }))
    .filter((r) => r.at.getTime() < dueAt.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}
