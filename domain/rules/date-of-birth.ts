/**
 * Dates of birth users give us (registration, profile). Only ISO `YYYY-MM-DD` is accepted at the
 * API (day-first vs month-first text is ambiguous), it must be a real calendar date, and the age
 * on `today` must be within DATE_OF_BIRTH_AGE_BOUNDS: 16 is the youngest customer the onboarding
 * serves, above 120 is a typo. Bounds are inclusive.
 */
export const DATE_OF_BIRTH_AGE_BOUNDS = { min: 16, max: 120 } as const;

export type DateOfBirthProblem = 'format' | 'not_a_date' | 'in_future' | 'too_young' | 'too_old';

/** Whole years between `dob` and `today` (UTC calendar dates). */
export function ageOn(dob: { y: number; m: number; d: number }, today: Date): number {
  const [ty, tm, td] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  return ty - dob.y - (tm < dob.m || (tm === dob.m && td < dob.d) ? 1 : 0);
}

export function dateOfBirthProblem(
  text: string,
  today: Date,
  bounds = DATE_OF_BIRTH_AGE_BOUNDS,
): DateOfBirthProblem | null {
  const r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!r) return 'format';
  const [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'not_a_date';
  if (date.getTime() > today.getTime()) return 'in_future';
  const age = ageOn({ y, m, d }, today);
  if (age < bounds.min) return 'too_young';
  if (age > bounds.max) return 'too_old';
  return null;
}

export const DATE_OF_BIRTH_MESSAGES: Record<DateOfBirthProblem, string> = {
  format: 'a date as YYYY-MM-DD',
  not_a_date: 'not a calendar date',
  in_future: 'in the future',
  too_young: `you must be at least ${DATE_OF_BIRTH_AGE_BOUNDS.min} years old`,
  too_old: `more than ${DATE_OF_BIRTH_AGE_BOUNDS.max} years ago`,
};
