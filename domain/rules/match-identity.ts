// Matching what the identity authority returned against the user's profile. Rules:
// - Names are normalised: Unicode accents removed, case folded, anything but letters turned into
//   spaces (so "Obi-Okafor", "OBI  OKAFOR" and "obi okafor" are equal), then split into tokens.
//   The profile's first and last name each match when all their tokens appear among the
//   returned name tokens, in any order (middle names and swapped first/last order are fine).
// - Dates of birth are compared as calendar dates after parsing YYYY-MM-DD, YYYY/MM/DD,
//   DD-MM-YYYY, DD/MM/YYYY, DD-Mon-YYYY ("05-Mar-1990") and ISO date-times.
// - match   = first AND last name match, AND the dates of birth are equal;
//   partial = exactly one of (first name, last name) matches and the dates are equal, OR both
//             names match but the date differs or either side has none;
//   no_match = anything else.
export type MatchOutcome = 'match' | 'partial' | 'no_match';

export function nameTokens(name: string | null | undefined): string[] {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `YYYY-MM-DD`, or null when the text is not a date we recognise. */
export function normaliseDate(text: string | null | undefined): string | null {
  const s = (text ?? '').trim();
  let y: number, m: number, d: number;
  let r: RegExpMatchArray | null;
  if ((r = s.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(T.*)?$/)))
    [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = s.match(/^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/))) [d, m, y] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = s.match(/^(\d{1,2})[- ]([A-Za-z]{3})[A-Za-z]*[- ](\d{4})$/))) {
    const month = MONTHS.indexOf(r[2].toLowerCase());
    if (month < 0) return null;
    [d, m, y] = [Number(r[1]), month + 1, Number(r[3])];
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

export interface Person {
  firstName: string | null | undefined;
  lastName: string | null | undefined;
  dateOfBirth: string | null | undefined;
}

export function matchIdentity(
  profile: Person,
  returned: { fullName: string; dateOfBirth: string | null | undefined },
): MatchOutcome {
  const have = new Set(nameTokens(returned.fullName));
  const contains = (name: string | null | undefined) => {
    const tokens = nameTokens(name);
    return tokens.length > 0 && tokens.every((t) => have.has(t));
  };
  const names = Number(contains(profile.firstName)) + Number(contains(profile.lastName));
  const a = normaliseDate(profile.dateOfBirth);
  const b = normaliseDate(returned.dateOfBirth);
  const dobEqual = a !== null && a === b;
  if (names === 2 && dobEqual) return 'match';
  if ((names === 2 && !dobEqual) || (names === 1 && dobEqual)) return 'partial';
  return 'no_match';
}
