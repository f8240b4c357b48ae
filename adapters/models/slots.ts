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
