// The guard for catalog regexps. Catalog patterns are data an operator can change and they run on
// partner input, so a pattern that can backtrack super-linearly must be refused before it is used.
//
// Two parts, both bounded:
// 1. A parser for a small subset of JavaScript regexp syntax. Every step consumes at least one
//    character or stops with a refusal, so it ends after at most `pattern.length` steps (the old
//    hand-written scanner moved its index backwards on `\u{41` and `(?<n` and never ended).
//    Anything outside the subset is refused, so what is accepted parses the same way as in V8.
// 2. A conservative safe-subset rule on the parse tree (sufficient, not necessary: some harmless
//    patterns are refused, none that backtracks super-linearly should pass):
//    - a group repeated more than once (`*`, `+`, `{n,m}` with m > 1) may only contain characters,
//      classes and fixed counts `{n}` — no alternation, no optional or variable parts, no nested
//      groups (`(a+)+`, `(a|b)*`, `(?:x{2,3}){2}`: exponential);
//    - the alternatives of `|` may not match empty and must start with different characters
//      (`(a|ab)`, `(\d|[0-9])`): the choice is made by one character, never retried;
//    - two parts of variable length in one sequence (`*`, `+`, `?`, `{n,m}` with n < m) whose
//      characters overlap need something mandatory between them that cannot match the shared
//      characters (`\d+-\d+` is fine; `[0-9]*[0-9]*`, `a*[ab]a*`, `\d*\s?\d*` are polynomial);
//    - no backreferences, lookarounds, octal or control escapes; repeat counts at most 128.
//    With the `i` flag character sets are compared after case folding.
// Analysis work is also capped (MAX_WORK), so the checker's time is bounded whatever the input.

/** Sorted, disjoint, inclusive code point ranges. */
type Ranges = [number, number][];

interface SetNode {
  kind: 'set';
  set: Ranges;
  at: number;
  src: string;
}
interface AssertNode {
  kind: 'assert';
  at: number;
  src: string;
}
interface GroupNode {
  kind: 'group';
  alts: Node[][];
  at: number;
  src: string;
}
interface QuantNode {
  kind: 'quant';
  body: SetNode | GroupNode;
  min: number;
  max: number;
  at: number;
  src: string;
}
type Node = SetNode | AssertNode | GroupNode | QuantNode;

import { MAX_PATTERN_INPUT } from './limits';

/** The largest count a `{n}` / `{n,m}` may give: no value a pattern runs on is longer. */
export const MAX_REPEAT = MAX_PATTERN_INPUT;
const MAX_PATTERN = 1000;
const MAX_DEPTH = 8;
const MAX_WORK = 200_000;
const MAX_CP = 0x10ffff;

class Refusal extends Error {}
const refuse = (message: string): never => {
  throw new Refusal(message);
};

// ---------------------------------------------------------------- character sets

const FULL: Ranges = [[0, MAX_CP]];
const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const SPACE: Ranges = normalize([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: Ranges = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];

function normalize(r: Ranges): Ranges {
  const sorted = r.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
const union = (a: Ranges, b: Ranges) =>
  normalize([...a.map((x) => [...x] as [number, number]), ...b.map((x) => [...x] as [number, number])]);
function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of r) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}
function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}
/** The set with every character's simple case variants added (the `i` flag); large sets become FULL. */
const closed = new Map<string, Ranges>();
function caseClose(r: Ranges): Ranges {
  const key = r.join(';');
  const known = closed.get(key);
  if (known) return known;
  const result = caseCloseUncached(r);
  if (closed.size < 512) closed.set(key, result);
  return result;
}
function caseCloseUncached(r: Ranges): Ranges {
  const size = r.reduce((n, [a, b]) => n + b - a + 1, 0);
  if (size > 2048) return FULL;
  const extra: Ranges = [];
  for (const [a, b] of r) {
    for (let c = a; c <= b; c++) {
      const s = String.fromCodePoint(c);
      for (const v of [s.toLowerCase(), s.toUpperCase()]) {
        const cp = v.codePointAt(0)!;
        if (v.length === String.fromCodePoint(cp).length && cp !== c) extra.push([cp, cp]);
      }
    }
  }
  return extra.length ? union(r, extra) : r;
}
function showSet(r: Ranges): string {
  if (r.length === 1 && r[0][0] === 0 && r[0][1] === MAX_CP) return 'any character';
  const ch = (c: number) => (c >= 0x21 && c <= 0x7e ? String.fromCharCode(c) : `\\u{${c.toString(16)}}`);
  const parts = r.slice(0, 6).map(([a, b]) => (a === b ? ch(a) : `${ch(a)}-${ch(b)}`));
  return `[${parts.join('')}${r.length > 6 ? '…' : ''}]`;
}

// ---------------------------------------------------------------- parser

const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

class Parser {
  pos = 0;
  readonly unicode: boolean;
  readonly ignoreCase: boolean;
  readonly dotAll: boolean;

  constructor(
    readonly p: string,
    flags: string,
  ) {
    this.unicode = flags.includes('u');
    this.ignoreCase = flags.includes('i');
    this.dotAll = flags.includes('s');
  }

  private set(set: Ranges, at: number): SetNode {
    return { kind: 'set', set: this.ignoreCase ? caseClose(set) : set, at, src: this.p.slice(at, this.pos) };
  }

  parsePattern(): Node[][] {
    const alts = this.parseAlternatives(0);
    if (this.pos < this.p.length) refuse(`unbalanced ")" at ${this.pos}`);
    return alts;
  }

  private parseAlternatives(depth: number): Node[][] {
    const alts = [this.parseSequence(depth)];
    while (this.p[this.pos] === '|') {
      this.pos++;
      alts.push(this.parseSequence(depth));
    }
    return alts;
  }

  private parseSequence(depth: number): Node[] {
    const seq: Node[] = [];
    while (this.pos < this.p.length && this.p[this.pos] !== '|' && this.p[this.pos] !== ')') {
      const start = this.pos;
      const atom = this.parseAtom(depth);
      seq.push(this.parseQuantifier(atom, start));
    }
    return seq;
  }

  /** `{n}`, `{n,}`, `{n,m}` at pos, or null when `{` does not start one. Never moves pos. */
  private braceQuantifier(): { min: number; max: number; length: number } | null {
    const m = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(this.p.slice(this.pos, this.pos + 16));
    if (!m) return null;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { min, max, length: m[0].length };
  }

  private parseQuantifier(atom: Node, start: number): Node {
    const c = this.p[this.pos];
    let q: { min: number; max: number; length: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity, length: 1 };
    else if (c === '+') q = { min: 1, max: Infinity, length: 1 };
    else if (c === '?') q = { min: 0, max: 1, length: 1 };
    else if (c === '{') q = this.braceQuantifier() ?? refuse(`a literal "{" must be escaped as \\{ (at ${this.pos})`);
    if (!q) return atom;
    const qAt = this.pos;
    this.pos += q.length;
    if (this.p[this.pos] === '?') this.pos++; // lazy: the same worst case as greedy
    if (atom.kind === 'assert') refuse(`"${atom.src}" at ${atom.at} cannot be repeated`);
    if (q.min > q.max) refuse(`repeat count {${q.min},${q.max}} at ${qAt} is out of order`);
    if (q.min > MAX_REPEAT || (q.max !== Infinity && q.max > MAX_REPEAT))
      refuse(`repeat counts above ${MAX_REPEAT} are not allowed (at ${qAt})`);
    if (q.max === 0) refuse(`"${this.p.slice(qAt, this.pos)}" at ${qAt} repeats nothing; remove it`);
    if (q.min === 1 && q.max === 1) return atom;
    return {
      kind: 'quant',
      body: atom as SetNode | GroupNode,
      min: q.min,
      max: q.max,
      at: start,
      src: this.p.slice(start, this.pos),
    };
  }

  private parseAtom(depth: number): Node {
    const at = this.pos;
    const c = this.p[at];
    switch (c) {
      case '(':
        return this.parseGroup(depth);
      case '[':
        return this.parseClass();
      case '\\':
        return this.parseEscape(false);
      case '.':
        this.pos++;
        return this.set(this.dotAll ? FULL : complement(LINE_TERMINATORS), at);
      case '^':
      case '$':
        this.pos++;
        return { kind: 'assert', at, src: c };
      case '*':
      case '+':
      case '?':
        return refuse(`nothing to repeat at ${at} ("${c}")`);
      case '{':
        return refuse(
          this.braceQuantifier() ? `nothing to repeat at ${at}` : `a literal "{" must be escaped as \\{ (at ${at})`,
        );
      case '}':
      case ']':
        return refuse(`a literal "${c}" must be escaped as \\${c} (at ${at})`);
      default: {
        const cp = this.unicode ? this.p.codePointAt(at)! : this.p.charCodeAt(at);
        this.pos += cp > 0xffff ? 2 : 1;
        return this.set([[cp, cp]], at);
      }
    }
  }

  private parseGroup(depth: number): GroupNode {
    const at = this.pos;
    if (depth >= MAX_DEPTH) refuse(`groups nested more than ${MAX_DEPTH} deep (at ${at})`);
    this.pos++; // (
    if (this.p[this.pos] === '?') {
      const kind = this.p.slice(this.pos + 1, this.pos + 3);
      if (kind[0] === '=' || kind[0] === '!' || kind === '<=' || kind === '<!')
        refuse(`lookarounds are not allowed ("(?${kind[0] === '<' ? kind : kind[0]}" at ${at})`);
      if (kind[0] === ':') this.pos += 2;
      else if (kind[0] === '<') {
        this.pos += 2;
        const nameStart = this.pos;
        while (this.pos < this.p.length && /[A-Za-z0-9_$]/.test(this.p[this.pos])) this.pos++;
        const name = this.p.slice(nameStart, this.pos);
        if (!/^[A-Za-z_$]/.test(name)) refuse(`group name expected after "(?<" at ${at}`);
        if (this.p[this.pos] !== '>') refuse(`unterminated group name "(?<${name}" at ${at}: expected ">"`);
        this.pos++;
      } else refuse(`unsupported group syntax "(?${kind[0] ?? ''}" at ${at} (use "(", "(?:" or "(?<name>")`);
    }
    const alts = this.parseAlternatives(depth + 1);
    if (this.p[this.pos] !== ')') refuse(`unterminated group "(" at ${at}`);
    this.pos++;
    if (alts.length === 1 && alts[0].length === 0) refuse(`empty group at ${at}`);
    return { kind: 'group', alts, at, src: this.p.slice(at, this.pos) };
  }

  private parseClass(): SetNode {
    const at = this.pos;
    this.pos++; // [
    const negated = this.p[this.pos] === '^';
    if (negated) this.pos++;
    let set: Ranges = [];
    for (;;) {
      if (this.pos >= this.p.length) refuse(`unterminated character class "[" at ${at}`);
      if (this.p[this.pos] === ']') break;
      const loAt = this.pos;
      const lo = this.classAtom();
      if (this.p[this.pos] === '-' && this.pos + 1 < this.p.length && this.p[this.pos + 1] !== ']') {
        this.pos++; // -
        const hi = this.classAtom();
        if (typeof lo !== 'number' || typeof hi !== 'number')
          refuse(`a range with a class escape (\\d, \\w, \\s…) at ${loAt} is not allowed`);
        if ((lo as number) > (hi as number)) refuse(`range out of order in character class at ${loAt}`);
        set = union(set, [[lo as number, hi as number]]);
      } else set = union(set, typeof lo === 'number' ? [[lo, lo]] : lo);
    }
    this.pos++; // ]
    const node = this.set(set, at);
    // Negate after case folding, then fold again: a superset of what V8 matches, which is the safe side.
    return negated ? { ...node, set: this.ignoreCase ? caseClose(complement(node.set)) : complement(node.set) } : node;
  }

  /** One class member: a code point, or a set for \d \w \s and their negations. */
  private classAtom(): number | Ranges {
    if (this.p[this.pos] === '\\') {
      const node = this.parseEscape(true);
      if (node.kind !== 'set') return refuse(`"${node.src}" is not allowed in a character class`);
      const s = node.set;
      return s.length === 1 && s[0][0] === s[0][1] && !/^\\[dDwWsSpP]/.test(node.src) ? s[0][0] : s;
    }
    const cp = this.unicode ? this.p.codePointAt(this.pos)! : this.p.charCodeAt(this.pos);
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  /** An escape at pos (a backslash). Sets are returned unfolded for class members, folded otherwise. */
  private parseEscape(inClass: boolean): SetNode | AssertNode {
    const at = this.pos;
    const c = this.p[at + 1];
    if (c === undefined) return refuse(`trailing backslash at ${at}`);
    this.pos += 2;
    const raw = (set: Ranges): SetNode =>
      inClass ? { kind: 'set', set, at, src: this.p.slice(at, this.pos) } : this.set(set, at);
    const one = (cp: number) => raw([[cp, cp]]);
    switch (c) {
      case 'd':
        return raw(DIGIT);
      case 'D':
        return raw(complement(DIGIT));
      case 'w':
        return raw(WORD);
      case 'W':
        return raw(complement(WORD));
      case 's':
        return raw(SPACE);
      case 'S':
        return raw(complement(SPACE));
      case 't':
        return one(9);
      case 'n':
        return one(10);
      case 'v':
        return one(11);
      case 'f':
        return one(12);
      case 'r':
        return one(13);
      case 'b':
        return inClass ? one(8) : { kind: 'assert', at, src: '\\b' };
      case 'B':
        return inClass
          ? refuse(`"\\B" at ${at} is not allowed in a character class`)
          : { kind: 'assert', at, src: '\\B' };
      case '0':
        if (/[0-9]/.test(this.p[this.pos] ?? '')) refuse(`octal escapes are not allowed (at ${at})`);
        return one(0);
      case 'k':
        return refuse(`backreferences are not allowed ("\\k" at ${at})`);
      case 'c':
        return refuse(`control escapes "\\c" are not allowed (at ${at})`);
      case 'x': {
        const hex = this.p.slice(this.pos, this.pos + 2);
        if (!isHex(hex[0]) || !isHex(hex[1])) refuse(`invalid escape "\\x" at ${at}: expected two hex digits`);
        this.pos += 2;
        return one(parseInt(hex, 16));
      }
      case 'u': {
        if (this.p[this.pos] === '{') {
          if (!this.unicode) refuse(`"\\u{…}" at ${at} needs the u flag (without it, \\u{41} means "u" 41 times)`);
          this.pos++;
          const start = this.pos;
          while (this.pos < this.p.length && this.pos - start <= 6 && isHex(this.p[this.pos])) this.pos++;
          const digits = this.p.slice(start, this.pos);
          if (this.p[this.pos] !== '}' || digits.length === 0 || digits.length > 6 || parseInt(digits, 16) > MAX_CP) {
            refuse(`invalid escape "\\u{" at ${at}: expected 1-6 hex digits (at most 10FFFF) and "}"`);
          }
          this.pos++;
          return one(parseInt(digits, 16));
        }
        const hex = this.p.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          refuse(`invalid escape "\\u" at ${at}: expected four hex digits${this.unicode ? ' or {…}' : ''}`);
        this.pos += 4;
        const cp = parseInt(hex, 16);
        if (this.unicode && cp >= 0xd800 && cp <= 0xdfff)
          refuse(`surrogate escape at ${at}: write the character as \\u{…}`);
        return one(cp);
      }
      case 'p':
      case 'P': {
        if (!this.unicode) refuse(`"\\${c}{…}" at ${at} needs the u flag`);
        if (this.p[this.pos] !== '{') refuse(`invalid escape "\\${c}" at ${at}: expected {…}`);
        this.pos++;
        const start = this.pos;
        while (this.pos < this.p.length && this.pos - start <= 60 && /[A-Za-z0-9_=]/.test(this.p[this.pos])) this.pos++;
        if (this.p[this.pos] !== '}' || this.pos === start)
          refuse(`invalid escape "\\${c}{" at ${at}: expected a property name and "}"`);
        this.pos++;
        return raw(FULL); // any property may overlap anything: compared as "every character"
      }
      default:
        if (/[1-9]/.test(c)) return refuse(`backreferences are not allowed ("\\${c}" at ${at})`);
        if (SYNTAX.has(c) || (inClass && c === '-')) return one(c.charCodeAt(0));
        return refuse(`unsupported escape "\\${c}" at ${at} (escape only characters with a special meaning)`);
    }
  }
}

// ---------------------------------------------------------------- analysis

/** A part of a sequence: what it can consume, whether its length varies, whether it must match. */
interface Piece {
  set: Ranges;
  variable: boolean;
  mandatory: boolean;
  src: string;
  at: number;
}

class Analysis {
  work = 0;

  private tick(n = 1) {
    this.work += n;
    if (this.work > MAX_WORK) refuse('pattern too complex to analyse; simplify it');
  }

  nullable(n: Node): boolean {
    if (n.kind === 'set') return false;
    if (n.kind === 'assert') return true;
    if (n.kind === 'quant') return n.min === 0 || this.nullable(n.body);
    return n.alts.some((alt) => alt.every((x) => this.nullable(x)));
  }

  /** Characters a match of the node can start with. */
  first(n: Node): Ranges {
    this.tick();
    if (n.kind === 'set') return n.set;
    if (n.kind === 'assert') return [];
    if (n.kind === 'quant') return this.first(n.body);
    let out: Ranges = [];
    for (const alt of n.alts) out = union(out, this.firstOfSequence(alt));
    return out;
  }

  firstOfSequence(seq: Node[]): Ranges {
    let out: Ranges = [];
    for (const n of seq) {
      out = union(out, this.first(n));
      if (!this.nullable(n)) break;
    }
    return out;
  }

  /** Every character the node can consume. */
  chars(n: Node): Ranges {
    this.tick();
    if (n.kind === 'set') return n.set;
    if (n.kind === 'assert') return [];
    if (n.kind === 'quant') return this.chars(n.body);
    let out: Ranges = [];
    for (const alt of n.alts) for (const x of alt) out = union(out, this.chars(x));
    return out;
  }

  hasVariable(seq: Node[]): boolean {
    return seq.some(
      (n) =>
        (n.kind === 'quant' && n.min !== n.max) ||
        (n.kind === 'group' && (n.alts.length > 1 || n.alts.some((a) => this.hasVariable(a)))),
    );
  }

  /** `|`: no empty alternative, first characters pairwise disjoint; each alternative checked on its own. */
  alternatives(alts: Node[][], where: string) {
    if (alts.length === 1) return this.sequence(alts[0]);
    const firsts = alts.map((alt, i) => {
      if (alt.every((n) => this.nullable(n)))
        refuse(`an alternative of ${where} can match the empty string (alternative ${i + 1}); use "?" instead`);
      return this.firstOfSequence(alt);
    });
    for (let i = 0; i < alts.length; i++) {
      for (let j = i + 1; j < alts.length; j++) {
        this.tick(firsts[i].length + firsts[j].length);
        const shared = intersect(firsts[i], firsts[j]);
        if (shared.length) {
          refuse(
            `alternatives ${i + 1} and ${j + 1} of ${where} can both start with ${showSet(shared)}, so a failed match retries each of them (exponential backtracking); make each alternative start with different characters`,
          );
        }
      }
    }
    for (const alt of alts) this.sequence(alt);
  }

  /** A group repeated more than once: only characters, classes and fixed counts inside. */
  repeatedBody(q: QuantNode, g: GroupNode) {
    const nested = `nested repetition: "${q.src}" at ${q.at} repeats a group that`;
    if (g.alts.length > 1)
      refuse(
        `${nested} alternates (exponential backtracking); a repeated group may only contain characters, classes and fixed counts {n}`,
      );
    for (const n of g.alts[0]) {
      if (n.kind === 'quant' && (n.body.kind === 'group' || n.min !== n.max))
        refuse(
          `${nested} itself repeats or is optional ("${n.src}"; exponential backtracking); a repeated group may only contain characters, classes and fixed counts {n}`,
        );
      if (n.kind === 'group')
        refuse(
          `${nested} contains another group ("${n.src}"); a repeated group may only contain characters, classes and fixed counts {n}`,
        );
      if (n.kind === 'assert')
        refuse(
          `${nested} contains the anchor "${n.src}"; a repeated group may only contain characters, classes and fixed counts {n}`,
        );
    }
  }

  pieces(seq: Node[]): Piece[] {
    const out: Piece[] = [];
    for (const n of seq) {
      this.tick();
      if (n.kind === 'assert') continue; // zero-width: separates nothing
      if (n.kind === 'set') {
        out.push({ set: n.set, variable: false, mandatory: true, src: n.src, at: n.at });
        continue;
      }
      if (n.kind === 'group') {
        if (n.alts.length === 1) {
          out.push(...this.pieces(n.alts[0])); // a plain group is its contents
          continue;
        }
        this.alternatives(n.alts, `"${n.src}" at ${n.at}`);
        out.push({
          set: this.chars(n),
          variable: n.alts.some((a) => this.hasVariable(a)),
          mandatory: true,
          src: n.src,
          at: n.at,
        });
        continue;
      }
      // quantified
      if (n.body.kind === 'group') {
        if (n.max > 1) this.repeatedBody(n, n.body);
        else this.alternatives(n.body.alts, `"${n.body.src}" at ${n.body.at}`);
      }
      out.push({
        set: this.chars(n.body),
        variable: n.min !== n.max || (n.body.kind === 'group' && this.hasVariable(n.body.alts[0])),
        mandatory: n.min >= 1,
        src: n.src,
        at: n.at,
      });
    }
    return out;
  }

  /** Two variable parts that share characters need a mandatory part between them that cannot match those. */
  sequence(seq: Node[]) {
    const ps = this.pieces(seq);
    for (let i = 0; i < ps.length; i++) {
      if (!ps[i].variable) continue;
      const between: Ranges[] = [];
      for (let j = i + 1; j < ps.length; j++) {
        this.tick(ps[i].set.length + ps[j].set.length);
        const shared = intersect(ps[i].set, ps[j].set);
        if (ps[j].variable && shared.length) {
          const separated = between.some((b) => {
            this.tick(b.length + shared.length);
            return intersect(b, shared).length === 0;
          });
          if (!separated) {
            refuse(
              `"${ps[i].src}" at ${ps[i].at} and "${ps[j].src}" at ${ps[j].at} can both match ${showSet(shared)} with nothing mandatory between them to tell them apart (polynomial backtracking on a long non-matching value); give one of them a fixed count {n}, or separate them with a character neither can match`,
            );
          }
        }
        if (ps[j].mandatory) {
          // Once a mandatory part cannot match any of ps[i]'s characters, ps[i] can never run past it.
          if (intersect(ps[j].set, ps[i].set).length === 0) break;
          between.push(ps[j].set);
        }
      }
    }
  }
}

/**
 * Why `pattern` (with `flags`) is refused, or null when it is in the safe subset. Runs in time
 * bounded by the pattern's length (≤ MAX_PATTERN characters, ≤ MAX_WORK analysis steps).
 */
export function regexSafetyProblem(pattern: string, flags = ''): string | null {
  if (pattern.length > MAX_PATTERN) return `longer than ${MAX_PATTERN} characters`;
  try {
    const alts = new Parser(pattern, flags).parsePattern();
    new Analysis().alternatives(alts, 'the pattern');
    return null;
  } catch (err) {
    if (err instanceof Refusal) return err.message;
    throw err;
  }
}
