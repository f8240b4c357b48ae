/**
 * Runs `fn` over `items` with at most `limit` calls in flight. After the first failure no new
 * call starts; it rejects with that error once the calls in flight have settled. For fan-out that
 * must not flood the database or Temporal (a 1,000-recipient request, a batch of provider events).
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
