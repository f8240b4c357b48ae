import { compileFieldPattern } from './catalog';
import { MAX_PATTERN_INPUT } from './limits';
import type { CatalogDocument, FieldSpec } from './types';

// Validation of a partner's `userFields` against a document's `requiredFields`. Pure: the API
// answers 400 with every problem at once (one entry per bad field) and stores nothing.

export interface FieldProblem {
  field: string;
  code:
    | 'REQUIRED'
    | 'UNKNOWN_FIELD'
    | 'INVALID_TYPE'
    | 'INVALID_DATE'
    | 'INVALID_EMAIL'
    | 'PATTERN_MISMATCH'
    | 'PATTERN_TIMEOUT'
    | 'INVALID_IMAGES'
    | 'TOO_LONG';
  message: string;
}

/**
 * Runs a catalog pattern on a value: true/false, or 'timeout' when it ran out of its time budget.
 * The API passes one with a budget (adapters/partner-kyc/pattern-budget.ts); the default is a plain
 * `test`, safe because the guard (regex-safety.ts) refused super-linear patterns and values are
 * capped at MAX_PATTERN_INPUT characters.
 */
export type PatternTester = (re: RegExp, value: string) => boolean | 'timeout';
const plainTest: PatternTester = (re, value) => re.test(value);

/** Smile ID image payload: `image_type_id` 2 selfie, 3 ID front, 6 liveness frame, 7 ID back (all base64). */
export interface SmileImage {
  image_type_id: 2 | 3 | 6 | 7;
  image: string;
}
export const SMILE_IMAGE_TYPES = { selfie: 2, idFront: 3, liveness: 6, idBack: 7 } as const;
const IMAGE_TYPE_IDS: number[] = Object.values(SMILE_IMAGE_TYPES);
/** 4.5 MB per image decoded, as Smile ID's v3 APIs accept; base64 is 4/3 of that. */
export const MAX_IMAGE_BASE64_CHARS = Math.ceil((4.5 * 1024 * 1024 * 4) / 3);
const MAX_IMAGES = 8;
const MAX_STRING = 200;

export type CleanValue = string | SmileImage[];

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `YYYY-MM-DD` for a real past calendar date given as a date or an ISO date-time; null otherwise. */
export function parseBirthDate(value: string, now: Date): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || date.getTime() > now.getTime()) return null;
  return date.toISOString().slice(0, 10);
}

function imageProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0) return 'an array of {image_type_id, image} objects is required';
  if (value.length > MAX_IMAGES) return `at most ${MAX_IMAGES} images`;
  for (const [i, img] of value.entries()) {
    const o = img as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || !IMAGE_TYPE_IDS.includes(o.image_type_id as number))
      return `images[${i}].image_type_id must be one of ${IMAGE_TYPE_IDS.join(', ')}`;
    if (typeof o.image !== 'string' || !BASE64.test(o.image)) return `images[${i}].image must be base64`;
    if (o.image.length > MAX_IMAGE_BASE64_CHARS) return `images[${i}] is larger than 4.5 MB`;
    // JPEG (FF D8 FF) or PNG signatures, as base64 prefixes.
    if (!o.image.startsWith('/9j/') && !o.image.startsWith('iVBORw0KGgo')) return `images[${i}] must be a JPEG or PNG`;
  }
  const types = value.map((o) => (o as SmileImage).image_type_id);
  if (!types.includes(SMILE_IMAGE_TYPES.selfie)) return 'a selfie (image_type_id 2) is required';
  if (!types.includes(SMILE_IMAGE_TYPES.idFront)) return 'the front of the document (image_type_id 3) is required';
  return null;
}

function checkOne(
  field: string,
  spec: FieldSpec,
  value: unknown,
  now: Date,
  testPattern: PatternTester,
): FieldProblem | CleanValue {
  const bad = (code: FieldProblem['code'], message: string): FieldProblem => ({ field, code, message });
  if (spec.type === 'smile-identity-images') {
    const problem = imageProblem(value);
    return problem ? bad('INVALID_IMAGES', `${spec.label}: ${problem}`) : (value as SmileImage[]);
  }
  if (typeof value !== 'string') return bad('INVALID_TYPE', `${spec.label} must be a string`);
  const text = value.trim();
  if (text.length > MAX_STRING) return bad('TOO_LONG', `${spec.label} is longer than ${MAX_STRING} characters`);
  if (spec.type === 'date') {
    const date = parseBirthDate(text, now);
    return date ?? bad('INVALID_DATE', `${spec.label} must be a past date as YYYY-MM-DD or an ISO date-time`);
  }
  if (spec.type === 'email')
    return EMAIL.test(text) && text.length <= 254
      ? text.toLowerCase()
      : bad('INVALID_EMAIL', `${spec.label} must be an email address`);
  if (spec.regexp) {
    // Before the pattern runs: its cost grows with the value's length.
    if (text.length > MAX_PATTERN_INPUT)
      return bad('TOO_LONG', `${spec.label} is longer than ${MAX_PATTERN_INPUT} characters`);
    const re = compileFieldPattern(spec);
    // The catalog was validated at load, so a pattern that does not compile here is a bug, not bad input.
    if (typeof re === 'string') throw new Error(`catalog pattern for ${field} is unusable: ${re}`);
    const matched = testPattern(re, text);
    if (matched === 'timeout')
      return bad(
        'PATTERN_TIMEOUT',
        `${spec.label} could not be checked in time (the catalog's pattern for it is too slow); the operators must fix the catalog`,
      );
    if (!matched)
      return bad(
        'PATTERN_MISMATCH',
        `${spec.label} does not have the expected format${spec.format ? ` (${spec.format})` : ''}`,
      );
  }
  return text;
}

/** Every problem with `fields`, or the cleaned values (trimmed strings, dates as YYYY-MM-DD). */
export function validateUserFields(
  doc: CatalogDocument,
  fields: Record<string, unknown>,
  now: Date,
  testPattern: PatternTester = plainTest,
): { ok: true; values: Record<string, CleanValue> } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values: Record<string, CleanValue> = {};
  for (const name of Object.keys(fields)) {
    if (!Object.prototype.hasOwnProperty.call(doc.requiredFields, name))
      problems.push({ field: name, code: 'UNKNOWN_FIELD', message: `${name} is not a field of this document` });
  }
  for (const [name, spec] of Object.entries(doc.requiredFields)) {
    const raw = fields[name];
    const absent = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (absent) {
      if (spec.required) problems.push({ field: name, code: 'REQUIRED', message: `${spec.label} is required` });
      continue;
    }
    const out = checkOne(name, spec, raw, now, testPattern);
    if (typeof out === 'object' && !Array.isArray(out)) problems.push(out);
    else values[name] = out;
  }
  return problems.length ? { ok: false, problems } : { ok: true, values };
}
