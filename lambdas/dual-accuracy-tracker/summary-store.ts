/** How validate_all stores its summary: retry-safe (one item per invocation) and within DynamoDB's item limit. */
import { logger } from '@trading-observability/otel';
import { MarketKey, queryAll, type StoreContext } from '../shared/store';
import type { TrackerSummary } from './types';

/** How many recent summaries are searched for this invocation's id, and how far back (Lambda's retry window). */
const RETRY_LOOKBACK_SUMMARIES = 50;
const RETRY_WINDOW_MS = 6 * 3_600_000;

/**
 * The time under which the summary is stored (its sort key is `computedAt#summaryId`): a retry of the same
 * invocation (same request id) finds its earlier summary and reuses that time, so it overwrites rather than
 * adds a second summary. Lambda retries an invocation within 6 hours, so only that range is read, keys only.
 */
export async function summaryTime(
  store: StoreContext,
  summaryId: string,
  computedAt: string,
): Promise<string> {
  const since = new Date(Date.parse(computedAt) - RETRY_WINDOW_MS).toISOString();
  const recent = await queryAll(
    store.client,
    {
      TableName: store.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': MarketKey.summary(store.namespace),
        ':from': since,
        ':to': `${computedAt}\uffff`,
      },
      ProjectionExpression: 'summaryId, computedAt',
      ScanIndexForward: false,
      Limit: RETRY_LOOKBACK_SUMMARIES,
    },
    RETRY_LOOKBACK_SUMMARIES,
  );
  const earlier = recent.find((item) => item.summaryId === summaryId);
  return typeof earlier?.computedAt === 'string' ? earlier.computedAt : computedAt;
}

/** DynamoDB's item limit is 400 KB; the JSON size over-estimates the stored size, so this keeps a margin. */
export const MAX_STORED_SUMMARY_CHARS = 300_000;

/**
 * The summary as stored. With hundreds of symbols the full summary would pass DynamoDB's item limit and
 * fail the whole run, so the per-symbol reliability tables (then, if need be, the per-symbol groups) are
 * left out of the stored copy, and `omitted` says what is missing. The invoke result always has everything.
 */
export function storableSummary(
  summary: TrackerSummary,
  maxChars = MAX_STORED_SUMMARY_CHARS,
): Record<string, unknown> {
  const full = summary as unknown as Record<string, unknown>;
  if (JSON.stringify(full).length <= maxChars) return full;
  const bySymbol = Object.fromEntries(
    Object.entries(summary.bySymbol).map(([symbol, group]) => {
      const { reliability: _reliability, ...rest } = group;
      return [symbol, rest];
    }),
  );
  const lighter = { ...full, bySymbol, omitted: ['bySymbol.*.reliability'] };
  if (JSON.stringify(lighter).length <= maxChars) {
    logger.warn('stored summary without per-symbol reliability tables (item size)', {
      symbols: Object.keys(bySymbol).length,
    });
    return lighter;
  }
  logger.warn('stored summary without per-symbol groups (item size)', {
    symbols: Object.keys(bySymbol).length,
  });
  return { ...full, bySymbol: {}, omitted: ['bySymbol'] };
}
