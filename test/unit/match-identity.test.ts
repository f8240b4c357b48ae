import { matchIdentity, nameTokens, normaliseDate } from '../../domain/rules/match-identity';

describe('identity matching rules', () => {
  const profile = { firstName: 'Adá', lastName: 'Obi-Okafor', dateOfBirth: '12/03/1991' };

  it('normalises case, accents, spacing and hyphens in names', () => {
    expect(nameTokens('  ADA   obi-OKAFOR ')).toEqual(['ada', 'obi', 'okafor']);
    expect(nameTokens('Adá')).toEqual(['ada']);
  });

  it('reads the date formats providers use', () => {
    for (const d of [
      '1991-03-12',
      '1991/03/12',
      '12-03-1991',
      '12/03/1991',
      '12-Mar-1991',
      '12 March 1991',
      '1991-03-12T00:00:00Z',
    ]) {
      expect(normaliseDate(d)).toBe('1991-03-12');
    }
    expect(normaliseDate('31/02/1991')).toBeNull();
    expect(normaliseDate('yesterday')).toBeNull();
  });

  it('matches when both names and the date agree, whatever the order and extra middle names', () => {
    expect(matchIdentity(profile, { fullName: 'OBI OKAFOR CHINWE ADA', dateOfBirth: '1991-03-12' })).toBe('match');
  });

  it('is partial when one name differs or the date differs or is missing', () => {
    expect(matchIdentity(profile, { fullName: 'ADA NWOSU', dateOfBirth: '12-Mar-1991' })).toBe('partial');
    expect(matchIdentity(profile, { fullName: 'ADA OBI OKAFOR', dateOfBirth: '1990-03-12' })).toBe('partial');
    expect(
      matchIdentity({ ...profile, dateOfBirth: null }, { fullName: 'ADA OBI OKAFOR', dateOfBirth: '1991-03-12' }),
    ).toBe('partial');
  });

  it('is no match for someone else', () => {
    expect(matchIdentity(profile, { fullName: 'CHIOMA EZE', dateOfBirth: '1970-01-01' })).toBe('no_match');
    expect(matchIdentity(profile, { fullName: 'ADA NWOSU', dateOfBirth: '1970-01-01' })).toBe('no_match');
  });
});
