import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

import { budgetedPatternTester } from '../../adapters/partner-kyc/pattern-budget';
import {
  CatalogError,
  catalogToJson,
  compileFieldPattern,
  documentView,
  parseCatalog,
} from '../../domain/partner-kyc/catalog';
import { BUILT_IN_CATALOGS } from '../../domain/partner-kyc/catalogs';
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
    for (const ok of [
      '^[0-9]{11}$',
      '^[a-zA-Z]{3}([ -]{1})?[A-Z0-9]{6,12}$',
      '^(0[1-9]|1[0-2])$',
      '^GHA-[0-9]{9}-[0-9]$',
      '^\\d+\\.\\d*$',
    ])
      expect(regexSafetyProblem(ok)).toBeNull();
    for (const bad of ['(a*)*', '(a+)+', '(a|b)+', '(?:x{2,3}){2}', '(a)\\1', '(?=a)a', '((a))+b*(c+)*'])
      expect(regexSafetyProblem(bad)).not.toBeNull();
  });
});

/** Runs fn with a hard wall-clock limit: a checker that loops forever fails the test instead of hanging it. */
const withinContext = vm.createContext({} as { fn?: () => unknown });
const withinScript = new vm.Script('fn()');
function within<T>(ms: number, fn: () => T): { value: T; ms: number } {
  withinContext.fn = fn;
  const start = performance.now();
  const value = withinScript.runInContext(withinContext, { timeout: ms }) as T;
  return { value, ms: performance.now() - start };
}

describe('regexp guard (review: hangs and polynomial patterns)', () => {
  const POLY = '^[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*[0-9]*$';

  it('refuses each reported pattern, and returns within 1 s (the old checker looped forever on the first two)', () => {
    const cases: [string, string, RegExp][] = [
      ['^\\u{41', '', /needs the u flag/],
      ['^\\u{41', 'u', /invalid escape "\\u\{"/],
      ['^\\u{41', 'i', /needs the u flag/],
      ['(?<n', '', /unterminated group name "\(\?<n"/],
      ['(?<', '', /group name expected/],
      ['(?<n>a', '', /unterminated group/],
      ['\\u{', 'u', /invalid escape/],
      [POLY, '', /"\[0-9\]\*" at 1 and "\[0-9\]\*" at 7 can both match \[0-9\].*polynomial backtracking/],
    ];
    for (const [pattern, flags, why] of cases) {
      const { value, ms } = within(1000, () => regexSafetyProblem(pattern, flags));
      expect([pattern, flags, value]).toEqual([pattern, flags, expect.stringMatching(why)]);
      expect(ms).toBeLessThan(1000);
    }
  });

  it('refuses super-linear shapes: adjacent or optional-separated overlapping repeats, overlapping alternatives, nesting, big counts', () => {
    const refused: [string, string?][] = [
      ['a*[ab]a*'],
      ['^\\d*\\s?\\d*$'],
      ['^a?a?a?aaa$'],
      ['^\\d+\\d+$'],
      ['^[a-z]{1,20}[a-z]{1,20}$'],
      ['^[A-Z]+[a-z]+$', 'i'],
      ['^(a|ab)$'],
      ['^(\\d|[0-9])x$'],
      ['^(a|)$'],
      ['^(?:\\d{3}|x)+$'],
      ['^(?:a?b)+$'],
      ['^.*.*$'],
      ['^[0-9]{0,200}$'],
      ['^a{2,1}$'],
      ['^(?!x)a$'],
      ['^(?<=x)a$'],
      ['^(?<n>a)\\k<n>$'],
      ['^\\cA$'],
      ['^\\01$'],
      ['^(?i:a)$'],
      ['a{'],
      ['a]'],
    ];
    for (const [pattern, flags] of refused) {
      const { value } = within(1000, () => regexSafetyProblem(pattern, flags));
      expect([pattern, value]).toEqual([pattern, expect.any(String)]);
    }
  });

  it('accepts what ID formats need: the shipped patterns and other linear shapes', () => {
    const shipped = [...BUILT_IN_CATALOGS.values()].flatMap((c) =>
      c.documents.flatMap((d) => Object.values(d.requiredFields).filter((f) => f.regexp)),
    );
    expect(shipped.length).toBeGreaterThanOrEqual(10);
    for (const f of shipped) expect([f.regexp, regexSafetyProblem(f.regexp!, f.regexpFlags)]).toEqual([f.regexp, null]);
    const accepted: [string, string?][] = [
      ['^\\d+-\\d+$'],
      ['^[A-Z]+[a-z]+$'],
      ['^[a-z]+ [a-z]+$', 'i'],
      ['^(?:\\d{3}-)+\\d{4}$'],
      ['^\\u{1F600}?[a-z]{2}$', 'u'],
      ['^\\p{Lu}{2,4}$', 'u'],
      ['^(?<prefix>[A-Z]{3})-[0-9]{6}$'],
      ['^[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'],
      ['^\\x41\\u0042[\\-.]?\\d{4}$'],
      ['^[^\\s]{1,30}$'],
    ];
    for (const [pattern, flags] of accepted)
      expect([pattern, regexSafetyProblem(pattern, flags)]).toEqual([pattern, null]);
  });

  it('is bounded on any input: 3,000 generated patterns are each checked well within the limit, and none it accepts is slow on 128 characters', () => {
    const alphabet = [
      'a',
      'b',
      '0',
      '-',
      ' ',
      '^',
      '$',
      '.',
      '*',
      '+',
      '?',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '|',
      '\\',
      'd',
      'u',
      'k',
      '<',
      '>',
      '=',
      '!',
      ':',
      ',',
      '2',
      '{1,3}',
      '(?:',
      '(?<n>',
      '[0-9]',
      '\\d',
      '\\u{41}',
    ];
    let seed = 42;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const test = budgetedPatternTester(200);
    const inputs = ['a', '0', 'b', '-', ' ', 'ab', 'a0', 'a-'].map((u) => `${u.repeat(128).slice(0, 127)}!`);
    let accepted = 0;
    for (let k = 0; k < 3000; k++) {
      const pattern = Array.from({ length: 1 + rnd(25) }, () => alphabet[rnd(alphabet.length)]).join('');
      const flags = ['', 'i', 'u'][rnd(3)];
      const { value, ms } = within(1000, () => regexSafetyProblem(pattern, flags));
      expect(ms).toBeLessThan(1000);
      if (value) continue;
      accepted++;
      const re = new RegExp(pattern, flags); // what the guard accepts, V8 compiles
      for (const s of inputs) expect([pattern, flags, test(re, s) === 'timeout']).toEqual([pattern, flags, false]);
    }
    expect(accepted).toBeGreaterThan(100);
    // Long hostile patterns are bounded too.
    for (const pattern of [
      '('.repeat(300),
      '\\u{'.repeat(100),
      '(?<'.repeat(100),
      'a*'.repeat(150),
      '\\w?'.repeat(150),
      '(a|b|c|d|e|f|g)'.repeat(20),
    ]) {
      for (const flags of ['', 'i', 'u'])
        expect(within(1000, () => regexSafetyProblem(pattern, flags)).ms).toBeLessThan(1000);
    }
  });

  it('parseCatalog names the document, the field and why; the reported KE pattern is refused', () => {
    const ke = JSON.parse(JSON.stringify(catalogToJson(BUILT_IN_CATALOGS.get('KE')!)));
    Object.assign(ke.documents[0].requiredFields.id_number, {
      regexp: POLY,
      examples: { valid: ['12345678'], invalid: ['x'] },
    });
    const { value: error } = within(1000, () => {
      try {
        parseCatalog(ke);
        return null;
      } catch (err) {
        return err as CatalogError;
      }
    });
    expect(error).toBeInstanceOf(CatalogError);
    expect(error!.problems).toEqual([
      expect.stringMatching(
        /^document 67e0a1000000000000000201 \(NATIONAL_ID\) field id_number: regexp "\^\[0-9\]\*.*" refused \(super-linear backtracking risk or unsupported syntax\): .*polynomial backtracking/,
      ),
    ]);
    expect(error!.message).toMatch(/^invalid KYC catalog:\n {2}- document .* field id_number: /);
  });

  it('submission: an 81-character id_number is rejected fast by every shipped pattern; over 128 characters the pattern never runs', () => {
    const docs = [...BUILT_IN_CATALOGS.values()].flatMap((c) =>
      c.documents.filter((d) => d.requiredFields.id_number?.regexp),
    );
    const idProblems = (doc: CatalogDocument, id: string) => {
      const r = validateUserFields(doc, { id_number: id }, NOW);
      return r.ok ? [] : r.problems.filter((p) => p.field === 'id_number');
    };
    for (const doc of docs) idProblems(doc, 'warm-up'); // patterns compiled once and cached
    let slowest = 0;
    const start = performance.now();
    for (const value of ['1'.repeat(80) + 'x', 'A'.repeat(81), 'GHA-' + '0'.repeat(77), 'a '.repeat(40) + '!']) {
      expect(value).toHaveLength(81);
      for (const doc of docs) {
        const t = performance.now();
        expect([doc.value, idProblems(doc, value).map((p) => p.code)]).toEqual([doc.value, ['PATTERN_MISMATCH']]);
        slowest = Math.max(slowest, performance.now() - t);
      }
    }
    const total = performance.now() - start;
    process.stdout.write(
      `shipped patterns on 81-char id_numbers: ${docs.length * 4} checks in ${total.toFixed(1)} ms, slowest ${slowest.toFixed(2)} ms\n`,
    );
    expect(total).toBeLessThan(250);
    expect(idProblems(docs[0], '1'.repeat(129))).toEqual([
      expect.objectContaining({ code: 'TOO_LONG', message: expect.stringContaining('128') }),
    ]);
  });

  it("time budget: a running regexp is interrupted (the review's polynomial pattern, measured here), and a timeout is reported per field", () => {
    const poly = new RegExp(POLY); // built directly: the guard would refuse it
    const slowInput = `${'1'.repeat(80)}x`;
    const raw = performance.now();
    poly.test(`${'1'.repeat(40)}x`);
    const unguarded41 = performance.now() - raw;
    const test = budgetedPatternTester(50);
    const start = performance.now();
    expect(test(poly, slowInput)).toBe('timeout');
    const ms = performance.now() - start;
    expect(ms).toBeLessThan(1000);
    expect(test(/^[0-9]{11}$/, '22200000001')).toBe(true);
    expect(test(/^[0-9]{11}$/, '2220000000x')).toBe(false);
    process.stdout.write(
      `regexp guard: unguarded ${POLY} on 41 chars ${unguarded41.toFixed(0)} ms; 81 chars interrupted after ${ms.toFixed(0)} ms (budget 50 ms)\n`,
    );
    const doc = BUILT_IN_CATALOGS.get('NG')!.documents.find((d) => d.value === 'BVN')!;
    const r = validateUserFields(
      doc,
      { first_name: 'J', last_name: 'D', dob: '2000-01-01', email: 'j@example.com', id_number: '22200000001' },
      NOW,
      () => 'timeout',
    );
    expect(r.ok ? [] : r.problems).toEqual([expect.objectContaining({ field: 'id_number', code: 'PATTERN_TIMEOUT' })]);
  });
});

describe('userFields validation', () => {
  const doc = (id: string) => NG.documents.find((d) => d._id === id)! as CatalogDocument;
  const BVN = doc('67da909b739fc481aa525c45');
  const DL = doc('67da909b739fc481aa525c4b');
  const VOTER = doc('67da909b739fc481aa525c43');
  const PASSPORT = doc('67da93c0dfd3a00f3380b85b');
  const good = {
    first_name: 'John',
    last_name: 'Doe',
    dob: '2000-01-01T00:00:00.000Z',
    email: 'j@example.com',
    id_number: '22200000001',
  };

  it('accepts the seed example and normalises dates', () => {
    const r = validateUserFields(BVN, good, NOW);
    expect(r).toEqual({ ok: true, values: { ...good, dob: '2000-01-01' } });
  });

  it('one entry per bad field: required, type, date, email, pattern, unknown', () => {
    const r = validateUserFields(
      BVN,
      { first_name: 42, last_name: ' ', dob: '2000-02-30', email: 'nope', id_number: '1234', extra: 'x' },
      NOW,
    );
    expect(r.ok).toBe(false);
    const codes = Object.fromEntries(
      (r as { problems: { field: string; code: string }[] }).problems.map((p) => [p.field, p.code]),
    );
    expect(codes).toEqual({
      extra: 'UNKNOWN_FIELD',
      first_name: 'INVALID_TYPE',
      last_name: 'REQUIRED',
      dob: 'INVALID_DATE',
      email: 'INVALID_EMAIL',
      id_number: 'PATTERN_MISMATCH',
    });
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
    expect(
      validateUserFields(
        PASSPORT,
        {
          ...base,
          images: [
            { image_type_id: 2, image: JPEG },
            { image_type_id: 3, image: PNG },
          ],
        },
        NOW,
      ).ok,
    ).toBe(true);
    for (const images of [
      [],
      'x',
      [{ image_type_id: 2, image: JPEG }],
      [
        { image_type_id: 9, image: JPEG },
        { image_type_id: 3, image: JPEG },
      ],
      [
        { image_type_id: 2, image: 'aGVsbG8=' },
        { image_type_id: 3, image: JPEG },
      ],
    ]) {
      const r = validateUserFields(PASSPORT, { ...base, images }, NOW);
      expect(r.ok ? [] : r.problems.map((p) => p.code)).toEqual(['INVALID_IMAGES']);
    }
  });
});

describe('tier rules (seed: [0,2) none, [2,20) basic, [20,Infinity) advanced)', () => {
  it('boundaries 0, 2, 20, Infinity in both directions', () => {
    for (const d of ['onramp', 'offramp'] as const) {
      expect([0, 1.99, 2, 19.99, 20, 1e12, Infinity].map((a) => tierForAmount(NG.kycRules, d, a))).toEqual([
        'none',
        'none',
        'basic',
        'basic',
        'advanced',
        'advanced',
        'advanced',
      ]);
    }
    expect(() => tierForAmount(NG.kycRules, 'onramp', -1)).toThrow(RangeError);
  });

  it('a transaction needs the higher of its own tier and the 30-day volume tier; the limit is reached when the volume outgrows the passed tier', () => {
    expect(tierNeeded(NG.kycRules, 'onramp', 1, 0.5)).toMatchObject({ required: 'none', volume: 1.5 });
    expect(tierNeeded(NG.kycRules, 'onramp', 1, 1)).toMatchObject({
      required: 'basic',
      byAmount: 'none',
      byVolume: 'basic',
    });
    expect(tierNeeded(NG.kycRules, 'offramp', 25, 0)).toMatchObject({ required: 'advanced', byAmount: 'advanced' });
    expect(reachedKycLimit(NG.kycRules, 'none', { onramp: 1.99, offramp: 0 }, false)).toBe(false);
    expect(reachedKycLimit(NG.kycRules, 'none', { onramp: 2, offramp: 0 }, false)).toBe(true);
    expect(reachedKycLimit(NG.kycRules, 'basic', { onramp: 19, offramp: 19 }, false)).toBe(false);
    expect(reachedKycLimit(NG.kycRules, 'basic', { onramp: 0, offramp: 20 }, false)).toBe(true);
    expect(reachedKycLimit(NG.kycRules, 'advanced', { onramp: 1e9, offramp: 1e9 }, false)).toBe(false);
    expect(reachedKycLimit(NG.kycRules, 'advanced', { onramp: 0, offramp: 0 }, true)).toBe(true);
  });
});
