/** A test's count of the items a Scan or Query matches, over every page (not the product's query path). */
interface CountPage {
  readonly Count?: number | undefined;
  readonly LastEvaluatedKey?: Record<string, unknown> | undefined;
}

export async function countPages(
  page: (exclusiveStartKey: Record<string, unknown> | undefined) => Promise<CountPage>,
): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const result = await page(start);
    count += result.Count ?? 0;
    start = result.LastEvaluatedKey;
  } while (start);
  return count;
}
