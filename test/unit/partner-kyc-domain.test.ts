import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN_CATALOGS } from '../../domain/partner-kyc/catalogs';
import { CatalogError, catalogToJson, compileFieldPattern, documentView, parseCatalog } from '../../domain/partner-kyc/catalog';
import { validateUserFields } from '../../domain/partner-kyc/fields';
import { regexSafetyProblem } from '../../domain/partner-kyc/regex-safety';
import { reachedKycLimit, tierForAmount, tierNeeded } from '../../domain/partner-kyc/tiers';
import type { CatalogDocument } from '../../domain/partner-kyc/types';

const NG = BUILT_IN_CATALOGS.get('NG')!;
const ngJson = () => JSON.parse(JSON.stringify(catalogToJson(NG)));
const NOW = new Date('2026-11-27T00:00:00Z');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]).toString('base64');

describe('partner KYC catalogs', () => {
  it('ships NG exactly as the seed (5 basic, 7 advanced, ids, fields, regexps, flags) plus GH, KE, ZA', () => {
    expect([...BUILT_IN_CATALOGS.keys()].sort()).toEqual(['GH', 'KE', 'NG', 'ZA']);
    // The seed's status example, verbatim (seeds/003).
    const body = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/seed-003-kyc-status.json'), 'utf8'));
    delete body.advancedDocuments[6].requiredFields.kycRules; // the seed's rendering slip (rules inside the last document)
    const docs = NG.documents.map(documentView);
    expect(docs.filter((d) => d.type === 'basic')).toEqual(body.basicDocuments);
    expect(docs.filter((d) => d.type === 'advanced')).toEqual(body.advancedDocuments);
  });

  it('refuses catastrophic, stateful, broken or example-contradicting patterns, gaps in rules, duplicate ids', () => {
    const withPattern = (regexp: string, flags?: string, examples = { valid: ['12345678901'], invalid: ['x'] }) => {
      const c = ngJson();
      Object.assign(c.documents[1].requiredFields.id_number, { regexp, regexpFlags: flags, examples });
      return c;
    };
    const problem = (c: unknown) => {
      try {
        parseCatalog(c);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(CatalogError);
        return (err as CatalogError).problems.join('\n');
      }
    };
    expect(problem(ngJson())).toBeNull();
    expect(problem(withPattern('^(a+)+$', undefined, { valid: ['a'], invalid: ['b'] }))).toMatch(/backtrack/);
    expect(problem(withPattern('^([0-9]|[0-9])*$'))).toMatch(/backtrack/);
    expect(problem(withPattern('^[0-9]{11}$', 'g'))).toMatch(/flags/);
    expect(problem(withPattern('^[0-9]{11}$', 'ii'))).toMatch(/flags/);
    expect(problem(withPattern('^[0-9{11}$'))).toMatch(/unterminated|compile/);
    expect(problem(withPattern('^[0-9]{10}$'))).toMatch(/valid example "12345678901" does not match/);
    expect(problem(withPattern('^.*$'))).toMatch(/invalid example "x" matches/);
    const gap = ngJson();
    gap.kycRules.onramp[1].min = 3;
    expect(problem(gap)).toMatch(/min 3 should be 2/);
    const open = ngJson();
    open.kycRules.offramp[2].max = 1000;
    expect(problem(open)).toMatch(/must end at "Infinity"/);
    const dup = ngJson();
    dup.documents[1]._id = dup.documents[0]._id;
    expect(problem(dup)).toMatch(/duplicate _id/);
    const noImages = ngJson();
    delete noImages.documents[6].requiredFields.images;
    expect(problem(noImages)).toMatch(/smile-identity-images/);
  });

  it('star-height checker: allows bounded and optional groups, alternation outside repeats; refuses nesting, backrefs, lookarounds', () => {
    for (const ok of ['^[0-9]{11}$', '^[a-zA-Z]{3}([ -]{1})?[A-Z0-9]{6,12}$', '^(0[1-9]|1[0-2])$', '^GHA-[0-9]{9}-[0-9]$', '^\\d+\\.\\d*$']) expect(regexSafetyProblem(ok)).toBeNull();
    for (const bad of ['(a*)*', '(a+)+', '(a|b)+', '(?:x{2,3}){2}', '(a)\\1', '(?=a)a', '((a))+b*(c+)*']) expect(regexSafetyProblem(bad)).not.toBeNull();
  });
});

describe('userFields validation', () => {
  const doc = (id: string) => NG.documents.find((d) => d._id === id)! as CatalogDocument;
  const BVN = doc('67da909b739fc481aa525c45');
  const DL = doc('67da909b739fc481aa525c4b');
  const VOTER = doc('67da909b739fc481aa525c43');
  const PASSPORT = doc('67da93c0dfd3a00f3380b85b');
  const good = { first_name: 'John', last_name: 'Doe', dob: '2000-01-01T00:00:00.000Z', email: 'j@example.com', id_number: '22200000001' };

  it('accepts the seed example and normalises dates', () => {
    const r = validateUserFields(BVN, good, NOW);
    expect(r).toEqual({ ok: true, values: { ...good, dob: '2000-01-01' } });
  });

  it('one entry per bad field: required, type, date, email, pattern, unknown', () => {
    const r = validateUserFields(BVN, { first_name: 42, last_name: ' ', dob: '2000-02-30', email: 'nope', id_number: '1234', extra: 'x' }, NOW);
    expect(r.ok).toBe(false);
    const codes = Object.fromEntries((r as { problems: { field: string; code: string }[] }).problems.map((p) => [p.field, p.code]));
    expect(codes).toEqual({ extra: 'UNKNOWN_FIELD', first_name: 'INVALID_TYPE', last_name: 'REQUIRED', dob: 'INVALID_DATE', email: 'INVALID_EMAIL', id_number: 'PATTERN_MISMATCH' });
    expect(validateUserFields(BVN, { ...good, dob: '2030-01-01' }, NOW).ok).toBe(false); // future
    expect(validateUserFields(BVN, { ...good, dob: '1850-01-01' }, NOW).ok).toBe(false);
  });

  it('regexp flags: i makes lower case valid for the licence and voter id; without i the BVN stays digits only', () => {
    expect(validateUserFields(DL, { ...good, id_number: 'abc-12345678' }, NOW).ok).toBe(true);
    expect(validateUserFields(DL, { ...good, id_number: 'AB1234567' }, NOW).ok).toBe(false);
    expect(validateUserFields(VOTER, { ...good, id_number: 'ab12 cd34e' }, NOW).ok).toBe(true);
    const caseSensitive = compileFieldPattern({ regexp: '^[A-Z]{3}$' }) as RegExp;
    const insensitive = compileFieldPattern({ regexp: '^[A-Z]{3}$', regexpFlags: 'i' }) as RegExp;
    expect([caseSensitive.test('abc'), insensitive.test('abc')]).toEqual([false, true]);
    const multiline = compileFieldPattern({ regexp: '^b$', regexpFlags: 'm' }) as RegExp;
    expect(multiline.test('a\nb')).toBe(true);
    const dotAll = compileFieldPattern({ regexp: '^a.b$', regexpFlags: 's' }) as RegExp;
    expect(dotAll.test('a\nb')).toBe(true);
    const unicode = compileFieldPattern({ regexp: '^\\p{Lu}+$', regexpFlags: 'u' }) as RegExp;
    expect(unicode.test('ÉA')).toBe(true);
  });

  it('smile-identity-images: selfie and front required, JPEG/PNG base64 only', () => {
    const base = { first_name: 'A', last_name: 'B', dob: '1990-01-01', email: 'a@b.co' };
    expect(validateUserFields(PASSPORT, { ...base, images: [{ image_type_id: 2, image: JPEG }, { image_type_id: 3, image: PNG }] }, NOW).ok).toBe(true);
    for (const images of [[], 'x', [{ image_type_id: 2, image: JPEG }], [{ image_type_id: 9, image: JPEG }, { image_type_id: 3, image: JPEG }], [{ image_type_id: 2, image: 'aGVsbG8=' }, { image_type_id: 3, image: JPEG }]]) {
      const r = validateUserFields(PASSPORT, { ...base, images }, NOW);
      expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(['INVALID_IMAGES']);
    }
  });
});

describe('tier rules (seed: [0,2) none, [2,20) basic, [20,Infinity) advanced)', () => {
  it('boundaries 0, 2, 20, Infinity in both directions', () => {
    for (const d of ['onramp', 'offramp'] as const) {
      expect([0, 1.99, 2, 19.99, 20, 1e12, Infinity].map((a) => tierForAmount(NG.kycRules, d, a))).toEqual(['none', 'none', 'basic', 'basic', 'advanced', 'advanced', 'advanced']);
    }
    expect(() => tierForAmount(NG.kycRules, 'onramp', -1)).toThrow(RangeError);
  });

  it('a transaction needs the higher of its own tier and the 30-day volume tier; the limit is reached when the volume outgrows the passed tier', () => {
    expect(tierNeeded(NG.kycRules, 'onramp', 1, 0.5)).toMatchObject({ required: 'none', volume: 1.5 });
    expect(tierNeeded(NG.kycRules, 'onramp', 1, 1)).toMatchObject({ required: 'basic', byAmount: 'none', byVolume: 'basic' });
    expect(tierNeeded(NG.kycRules, 'offramp', 25, 0)).toMatchObject({ required: 'advanced', byAmount: 'advanced' });
    expect(reachedKycLimit(NG.kycRules, 'none', { onramp: 1.99, offramp: 0 }, false)).toBe(false);
    expect(reachedKycLimit(NG.kycRules, 'none', { onramp: 2, offramp: 0 }, false)).toBe(true);
    expect(reachedKycLimit(NG.kycRules, 'basic', { onramp: 19, offramp: 19 }, false)).toBe(false);
    expect(reachedKycLimit(NG.kycRules, 'basic', { onramp: 0, offramp: 20 }, false)).toBe(true);
    expect(reachedKycLimit(NG.kycRules, 'advanced', { onramp: 1e9, offramp: 1e9 }, false)).toBe(false);
    expect(reachedKycLimit(NG.kycRules, 'advanced', { onramp: 0, offramp: 0 }, true)).toBe(true);
  });
});
