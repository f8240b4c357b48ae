import type { Model } from 'mongoose';

import { isDuplicateKeyError } from './duplicate-key';

/**
 * Counting by insert: claims the first free `<prefix>#<n>` for n = from, from+1, … up to `max`
 * and returns the n it took (or max+1 when every slot was taken). The unique `_id` decides
 * races, so concurrent callers never share a number: exact where `$inc` and read-modify-write
 * lose updates on FerretDB (measured: 50 parallel $inc → 8). `from` is a hint (a count read
 * first); starting low only costs a few duplicate-key answers.
 */
export async function insertNextSlot(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  prefix: string,
  opts: { from: number; max?: number; fields: Record<string, unknown> },
): Promise<number> {
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  let n = Math.max(1, opts.from);
  for (; n <= max; n++) {
    try {
      await model.create({ _id: `${prefix}#${n}`, ...opts.fields });
      return n;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  return n;
}

/**
 * The highest taken `<prefix>#<n>` up to `max` (`first - 1` when none), by `_id` reads only: FerretDB
 * pushes no other filter down, so counting a window's slots scans the whole collection on every call.
 * Slots taken by `insertNextSlot` fill first, first+1, … without gaps (it never skips a free number),
 * so a galloping search finds the end in about 2·log2(n) reads. Concurrent inserts may move the end
 * meanwhile; the result is a hint for `from`, and the unique `_id` still decides.
 */
export async function highestSlot(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  prefix: string,
  max: number,
  first = 1,
): Promise<number> {
  // Searched as 1, 2, 3, … counted from `first`.
  const taken = async (i: number) => (await model.exists({ _id: `${prefix}#${i + first - 1}` })) !== null;
  const top = max - first + 1;
  if (top < 1 || !(await taken(1))) return first - 1;
  let lo = 1; // known taken
  let hi = 2; // probe
  while (hi <= top && (await taken(hi))) {
    lo = hi;
    hi *= 2;
  }
  hi = Math.min(hi, top + 1); // known free (or past max)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await taken(mid)) lo = mid;
    else hi = mid;
  }
  return lo + first - 1;
}
