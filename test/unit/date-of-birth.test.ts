import { ageOn, dateOfBirthProblem } from '../../domain/rules/date-of-birth';

describe('date of birth rule (16..120 years, a real past date, ISO only)', () => {
  const today = new Date('2026-11-27T10:00:00Z');
  it.each([
    ['1991-03-12', null],
    ['2010-11-27', null], // 16 today
    ['2010-11-28', 'too_young'], // 16 tomorrow
    ['1906-11-27', null], // 120 today
    ['1905-11-26', 'too_old'],
    ['2027-01-01', 'in_future'],
    ['1991-02-29', 'not_a_date'],
    ['2000-02-29', null],
    ['1991-13-01', 'not_a_date'],
    ['12/03/1991', 'format'],
    ['1991-3-12', 'format'],
    ['', 'format'],
  ])('%s → %s', (text, problem) => {
    expect(dateOfBirthProblem(text, today)).toBe(problem);
  });
  it('counts whole years', () => {
    expect(ageOn({ y: 2000, m: 2, d: 29 }, new Date('2026-02-28T00:00:00Z'))).toBe(25);
    expect(ageOn({ y: 2000, m: 2, d: 29 }, new Date('2026-03-01T00:00:00Z'))).toBe(26);
  });
});
