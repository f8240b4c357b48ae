/**
 * MongoDB's (and FerretDB's) duplicate-key error: a unique insert lost to an earlier one. Inserts
 * against a unique key are how this project makes retries and races converge, so this is the one
 * test for "someone got there first".
 */
export const isDuplicateKeyError = (err: unknown): boolean => (err as { code?: number } | null)?.code === 11000;
