// A conservative check for regular expressions that can backtrack catastrophically.
// Catalog patterns are data an operator can change, and they run on partner input, so a pattern
// like `^(a+)+$` must be refused before it is ever used. The rule (a star-height check):
//   a quantifier that repeats more than once ({n,m} with m > 1, *, +) may not apply to a group
//   that itself contains such a quantifier or an alternation `|`.
// Backreferences and lookarounds are refused too (not needed for ID formats; they defeat the
// analysis). Bounded repeats of plain atoms (`[0-9]{11}`), optional groups (`([ -])?`) and
// alternation outside repeated groups (`(0[1-9]|1[0-2])`) are fine.

interface Frame {
  /** The group contains a repeating quantifier or an alternation. */
  risky: boolean;
}

export function regexSafetyProblem(pattern: string): string | null {
  const stack: Frame[] = [{ risky: false }];
  // What the last atom was, so a following quantifier knows what it repeats.
  let lastAtomRisky: boolean | null = null;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) return 'trailing backslash';
      if (/[1-9]/.test(n) || n === 'k') return 'backreferences are not allowed';
      i += n === 'u' && pattern[i + 2] === '{' ? pattern.indexOf('}', i) - i : 1;
      lastAtomRisky = false;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      if (j >= pattern.length) return 'unterminated character class';
      i = j;
      lastAtomRisky = false;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const kind = pattern.slice(i + 2, i + 4);
        if (kind.startsWith('=') || kind.startsWith('!') || kind === '<=' || kind === '<!') return 'lookarounds are not allowed';
        if (kind.startsWith(':')) i += 2;
        else if (kind.startsWith('<')) i = pattern.indexOf('>', i);
        else return 'unsupported group syntax';
      }
      stack.push({ risky: false });
      lastAtomRisky = null;
      continue;
    }
    if (c === ')') {
      if (stack.length < 2) return 'unbalanced parenthesis';
      const frame = stack.pop()!;
      lastAtomRisky = frame.risky;
      if (frame.risky) stack[stack.length - 1].risky = true;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1].risky = true;
      lastAtomRisky = null;
      continue;
    }
    const quantifier = quantifierAt(pattern, i);
    if (quantifier) {
      if (lastAtomRisky === null) return `quantifier without a target at ${i}`;
      if (quantifier.repeats && lastAtomRisky) return `nested repetition at ${i} (a repeated group that itself repeats or alternates)`;
      if (quantifier.repeats) stack[stack.length - 1].risky = true;
      i += quantifier.length - 1;
      if (pattern[i + 1] === '?') i++; // lazy form
      lastAtomRisky = null;
      continue;
    }
    lastAtomRisky = false; // a literal, `.`, `^` or `$`
  }
  if (stack.length !== 1) return 'unbalanced parenthesis';
  return null;
}

function quantifierAt(p: string, i: number): { repeats: boolean; length: number } | null {
  const c = p[i];
  if (c === '*' || c === '+') return { repeats: true, length: 1 };
  if (c === '?') return { repeats: false, length: 1 };
  if (c !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
  if (!m) return null;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return { repeats: max > 1, length: m[0].length };
}
