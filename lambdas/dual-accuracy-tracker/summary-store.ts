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
 * The summary as stored. summary-limits.ts bounds it by design (a bounded number of groups, each of bounded
 * size) well under the limit; this is the last guard, should a future field break that bound: the per-group
 * reliability tables, then the per-symbol and per-model groups, are left out of the stored copy rather than
 * fail the run, and `omitted` says what is missing.
 */
export function storableSummary(
  summary: TrackerSummary,
  maxChars = MAX_STORED_SUMMARY_CHARS,
): Record<string, unknown> {
  const full = summary as unknown as Record<string, unknown>;
  if (JSON.stringify(full).length <= maxChars) return full;
  const withoutReliability = (groups: TrackerSummary['bySymbol']) =>
    Object.fromEntries(
      Object.entries(groups).map(([key, group]) => {
        const { reliability: _reliability, ...rest } = group;
        return [key, rest];
      }),
    );
  const lighter = {
    ...full,
    bySymbol: withoutReliability(summary.bySymbol),
    byModel: withoutReliability(summary.byModel),
    omitted: ['bySymbol.*.reliability', 'byModel.*.reliability'],
  };
  if (JSON.stringify(lighter).length <= maxChars) {
    logger.warn('stored summary without per-group reliability tables (item size)', {
      groups: Object.keys(summary.bySymbol).length + Object.keys(summary.byModel).length,
    });
    return lighter;
  }
  logger.warn('stored summary without per-symbol and per-model groups (item size)', {
    groups: Object.keys(summary.bySymbol).length + Object.keys(summary.byModel).length,
  });
  return { ...full, bySymbol: {}, byModel: {}, omitted: ['bySymbol', 'byModel'] };
}

/** A report answer stays well under Lambda's 6 MB response limit (JSON characters). */
export const MAX_REPORT_CHARS = 4_000_000;

/** The newest summaries that fit one answer; the older ones beyond the budget are counted, not sent. */
export function boundedReport<T>(
  summaries: readonly T[],
  maxChars = MAX_REPORT_CHARS,
): { summaries: T[]; leftOut: number } {
  const kept: T[] = [];
  let used = 0;
  for (const summary of summaries) {
    const size = JSON.stringify(summary).length;
    if (kept.length > 0 && used + size > maxChars) break;
    kept.push(summary);
    used += size;
  }
  return { summaries: kept, leftOut: summaries.length - kept.length };
}
