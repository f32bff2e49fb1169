/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the input order in the
 * result. Per-region AWS work runs through this so a long region list cannot open dozens of
 * connections or trip account-wide throttling at once.
 *
 * Fails fast: after the first rejection no new item is started (calls may cost money), and the
 * returned promise rejects with that first error.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
