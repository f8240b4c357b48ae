import { z } from 'zod';

import { MAX_PATTERN_INPUT } from './limits';
import { regexSafetyProblem } from './regex-safety';
import {
  type Catalog,
  type CatalogDocument,
  DIRECTIONS,
  FIELD_TYPES,
  type FieldSpec,
  KYC_TIERS,
  type KycRules,
  tierRank,
} from './types';

// A country's document catalog and tier rules, as data (catalogs/*.json, or a version an operator
// stored with the ops CLI). `parseCatalog` is the one gate: the API, the workers and the CLI only
// ever use a catalog that passed it.

/** Flags that keep a RegExp stateless and meaningful for a whole-value test. */
const ALLOWED_FLAGS = /^[imsu]*$/;

const fieldSchema = z.strictObject({
  type: z.enum(FIELD_TYPES),
  label: z.string().min(1).max(120),
  required: z.boolean(),
  format: z.string().max(60).optional(),
  regexp: z.string().min(1).max(300).optional(),
  regexpFlags: z.string().max(6).optional(),
  examples: z
    .strictObject({
      valid: z.array(z.string().max(MAX_PATTERN_INPUT)).min(1).max(20),
      invalid: z.array(z.string().max(MAX_PATTERN_INPUT)).min(1).max(20),
    })
    .optional(),
});

const ruleSchema = z.strictObject({
  min: z.number().min(0),
  max: z.union([z.number().positive(), z.literal('Infinity')]),
  type: z.enum(KYC_TIERS),
});

const documentSchema = z.strictObject({
  _id: z.string().regex(/^[0-9a-f]{24}$/, '24 hex characters'),
  type: z.enum(['basic', 'advanced']),
  title: z.string().min(1).max(120),
  value: z.string().regex(/^[A-Z][A-Z0-9_]{1,40}$/),
  requiredFields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,40}$/), fieldSchema),
});

export const catalogSchema = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/),
  version: z.number().int().positive(),
  acceptPartialMatch: z.boolean(),
  documents: z.array(documentSchema).min(1).max(50),
  kycRules: z.strictObject({ onramp: z.array(ruleSchema).min(1), offramp: z.array(ruleSchema).min(1) }),
});

export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid KYC catalog:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CatalogError';
  }
}

/** Compiled patterns (or why not) by flags and source: a submission re-uses its catalog's. */
const compiled = new Map<string, RegExp | string>();

/** Compiles a field's pattern, or says why it cannot be used (regex-safety.ts: the guard). */
export function compileFieldPattern(spec: Pick<FieldSpec, 'regexp' | 'regexpFlags'>): RegExp | string {
  if (!spec.regexp) return 'no pattern';
  const flags = spec.regexpFlags ?? '';
  const key = `${flags}/${spec.regexp}`;
  const known = compiled.get(key);
  if (known !== undefined) return known;
  const result = compileUncached(spec.regexp, flags);
  if (compiled.size >= 1000) compiled.clear();
  compiled.set(key, result);
  return result;
}

function compileUncached(pattern: string, flags: string): RegExp | string {
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length)
    return `flags "${flags}" are not allowed (use i, m, s, u once each; g and y make tests stateful)`;
  const unsafe = regexSafetyProblem(pattern, flags);
  if (unsafe)
    return `regexp ${JSON.stringify(pattern)} refused (super-linear backtracking risk or unsupported syntax): ${unsafe}`;
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    return `regexp ${JSON.stringify(pattern)} does not compile: ${(err as Error).message}`;
  }
}

function checkField(where: string, spec: FieldSpec, problems: string[]) {
  if (spec.regexp === undefined) {
    if (spec.regexpFlags !== undefined) problems.push(`${where}: regexpFlags without regexp`);
    if (spec.examples) problems.push(`${where}: examples without regexp`);
    return;
  }
  if (spec.type !== 'string') problems.push(`${where}: regexp is only for string fields`);
  const re = compileFieldPattern(spec);
  if (typeof re === 'string') return void problems.push(`${where}: ${re}`);
  if (!spec.examples) return void problems.push(`${where}: a field with a regexp needs examples {valid, invalid}`);
  for (const v of spec.examples.valid) if (!re.test(v)) problems.push(`${where}: valid example "${v}" does not match`);
  for (const v of spec.examples.invalid) if (re.test(v)) problems.push(`${where}: invalid example "${v}" matches`);
}

/** Rules must cover [0, Infinity) without gaps or overlaps, and never ask less for more money. */
function checkRules(rules: z.infer<typeof catalogSchema>['kycRules'], problems: string[]) {
  for (const direction of DIRECTIONS) {
    const list = rules[direction];
    let expectedMin = 0;
    list.forEach((r, i) => {
      const max = r.max === 'Infinity' ? Infinity : r.max;
      if (r.min !== expectedMin)
        problems.push(`kycRules.${direction}[${i}]: min ${r.min} should be ${expectedMin} (no gaps or overlaps)`);
      if (max <= r.min) problems.push(`kycRules.${direction}[${i}]: max must exceed min`);
      if (i > 0 && tierRank(r.type) < tierRank(list[i - 1].type))
        problems.push(`kycRules.${direction}[${i}]: a larger amount may not need a lower tier`);
      expectedMin = max;
    });
    if (expectedMin !== Infinity) problems.push(`kycRules.${direction}: the last rule must end at "Infinity"`);
  }
}

export function parseCatalog(raw: unknown): Catalog {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success)
    throw new CatalogError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  const c = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  const kinds = new Set<string>();
  for (const doc of c.documents) {
    if (ids.has(doc._id)) problems.push(`document ${doc._id}: duplicate _id`);
    ids.add(doc._id);
    if (kinds.has(`${doc.type}:${doc.value}`)) problems.push(`document ${doc._id}: duplicate ${doc.type} ${doc.value}`);
    kinds.add(`${doc.type}:${doc.value}`);
    const images = Object.values(doc.requiredFields).filter((f) => f.type === 'smile-identity-images');
    if (doc.type === 'advanced' && !images.some((f) => f.required))
      problems.push(`document ${doc._id}: an advanced document needs a required smile-identity-images field`);
    if (doc.type === 'basic' && !doc.requiredFields.id_number?.required)
      problems.push(`document ${doc._id}: a basic document needs a required id_number field`);
    for (const [name, spec] of Object.entries(doc.requiredFields))
      checkField(`document ${doc._id} (${doc.value}) field ${name}`, spec, problems);
  }
  checkRules(c.kycRules, problems);
  if (problems.length) throw new CatalogError(problems);
  const toRules = (list: typeof c.kycRules.onramp) =>
    list.map((r) => ({ min: r.min, max: r.max === 'Infinity' ? Infinity : r.max, type: r.type }));
  const kycRules: KycRules = { onramp: toRules(c.kycRules.onramp), offramp: toRules(c.kycRules.offramp) };
  return { ...c, documents: c.documents as CatalogDocument[], kycRules };
}

/** The catalog as stored and exchanged (JSON): Infinity back to the string "Infinity". */
export function catalogToJson(c: Catalog): unknown {
  const rules = (list: KycRules['onramp']) => list.map((r) => ({ ...r, max: r.max === Infinity ? 'Infinity' : r.max }));
  return { ...c, kycRules: { onramp: rules(c.kycRules.onramp), offramp: rules(c.kycRules.offramp) } };
}

/** A document as partners see it: the catalog entry without the load-time examples. */
export function documentView(doc: CatalogDocument): CatalogDocument {
  const requiredFields: Record<string, FieldSpec> = {};
  for (const [name, spec] of Object.entries(doc.requiredFields)) {
    const { examples: _examples, ...shown } = spec;
    requiredFields[name] = shown;
  }
  return { _id: doc._id, type: doc.type, title: doc.title, value: doc.value, requiredFields };
}

export const findDocument = (c: Catalog, documentId: string) => c.documents.find((d) => d._id === documentId) ?? null;
