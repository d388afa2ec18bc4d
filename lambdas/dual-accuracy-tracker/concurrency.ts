/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order
 * (so aggregates over them do not depend on which call finished first).
 *
 * On a failure nothing new starts, and the map rejects with the first failure only once every call in flight has
 * settled: their spans end inside the invocation and are flushed with it, never left running after it answered.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(Math.floor(limit) || 1, items.length)) }, worker);
  await Promise.allSettled(workers);
  if (failure) throw failure.error;
  return results;
}
