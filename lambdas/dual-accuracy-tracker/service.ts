/**
 * The dual-accuracy-tracker's actions over a deps object (store context, configuration, clock, request id),
 * so the handler stays thin and the observability-demo function can run them in-process in its own namespace.
 */
import { Attr, logger, withSpan } from '@trading-observability/otel';
import {
  type AccuracySummary,
  type MatchedPrediction,
  type PendingPrediction,
  summarize,
} from '../shared/accuracy';
import { matchPredictions, type PredictionOutcome, predictionOutcome } from '../shared/accuracy/match';
import type { AppConfig } from '../shared/config';
import { ErrorCode, type Failure, ok, parsePayload, type Success } from '../shared/response';
import type { PredictionInput, PricePointInput } from '../shared/schemas';
import {
  latestSummaries,
  listSymbols,
  MarketKey,
  putPredictions,
  putPrices,
  putSummary,
  putValidations,
  queryAll,
  queryPredictions,
  queryPrices,
  queryValidations,
  type StoreContext,
} from '../shared/store';
import { mapWithConcurrency } from './concurrency';
import {
  type ReportInput,
  TRACKER_ACTIONS,
  TrackerAction,
  type TrackerPayload,
  trackerPayloadSchema,
  type ValidateAllInput,
} from './schemas';
import {
  emitMetrics,
  emitPredictionSpans,
  emitSummaryMetrics,
  marketDataLagMetrics,
  summaryAttributes,
  TrackerAttr,
  TrackerSpan,
} from './telemetry';

export type TrackerConfig = Pick<
  AppConfig,
  | 'matchToleranceMinutes'
  | 'minSampleForAlert'
  | 'accuracyAlertThreshold'
  | 'metricSymbolWatchlist'
  | 'summaryTtlDays'
>;

export interface TrackerDeps {
  readonly store: StoreContext;
  readonly config: TrackerConfig;
  readonly now: () => Date;
  /** The invocation's id: the summary's id, so a retried invocation overwrites its summary instead of adding one. */
  readonly requestId: string;
  /** Symbols validated at the same time. @default 8 */
  readonly concurrency?: number;
}

export const VALIDATION_CONCURRENCY = 8;
/** How many recent summaries are searched for this invocation's id, and how far back (Lambda's retry window). */
const RETRY_LOOKBACK_SUMMARIES = 50;
const RETRY_WINDOW_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

export interface ValidationWindow {
  readonly from: string;
  readonly to: string;
  readonly lookbackDays: number;
}

export type TrackerSummary = AccuracySummary<ValidationWindow>;

export interface RecordResult {
  readonly recorded: number;
  readonly symbols: string[];
}

export interface ValidateAllResult {
  /** One sentence for the person reading the invoke output; the figures are in `summary`. */
  readonly headline: string;
  readonly summaryId: string;
  readonly summary: TrackerSummary;
}

export interface StoredSummary {
  readonly summaryId: string;
  readonly computedAt: string;
  readonly headline: string;
  readonly summary: TrackerSummary;
}

function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Stores predictions; the same (symbol, model, predictedAt, targetTime) is one item however often it is sent. */
export async function recordPredictions(
  deps: TrackerDeps,
  predictions: readonly PredictionInput[],
): Promise<RecordResult> {
  const { written } = await putPredictions(deps.store, predictions, deps.now());
  return { recorded: written, symbols: distinctSorted(predictions.map((p) => p.symbol)) };
}

/** Stores prices; one item per (symbol, timestamp): a re-sent price overwrites itself. */
export async function recordPrices(
  deps: TrackerDeps,
  prices: readonly PricePointInput[],
): Promise<RecordResult> {
  const now = deps.now();
  const { written } = await putPrices(deps.store, prices, now);
  emitMetrics(marketDataLagMetrics(prices, deps.config.metricSymbolWatchlist, now));
  return { recorded: written, symbols: distinctSorted(prices.map((p) => p.symbol)) };
}

export function validationWindow(now: Date, lookbackDays: number): ValidationWindow {
  return {
    from: new Date(now.getTime() - lookbackDays * DAY_MS).toISOString(),
    to: now.toISOString(),
    lookbackDays,
  };
}

/** The validation item trading-intelligence reads (one per matched prediction, keyed by the prediction). */
export function validationItem(outcome: PredictionOutcome): Record<string, unknown> & {
  symbol: string;
  model: string;
  predictedAt: string;
  targetTime: string;
} {
  return {
    symbol: outcome.symbol,
    model: outcome.model,
    predictedAt: outcome.predictedAt,
    targetTime: outcome.targetTime,
    basePrice: outcome.basePrice,
    predictedPrice: outcome.predictedPrice,
    confidence: outcome.confidence,
    actualPrice: outcome.actualPrice,
    actualTime: outcome.actualTime,
    session: outcome.session,
    hit: outcome.hit,
    priceErrorPct: outcome.priceErrorPct,
    predictedReturnPct: outcome.predictedReturnPct,
    actualReturnPct: outcome.actualReturnPct,
  };
}

/** Fields whose change makes a stored validation item stale (the prediction re-recorded, a better price matched). */
const OUTCOME_FIELDS = ['basePrice', 'predictedPrice', 'confidence', 'actualPrice', 'actualTime'] as const;

/**
 * Outcomes not yet stored as they are now. Re-running validate_all over the same week rewrites only what
 * changed (new matches), not every item: 10 000 unchanged validations cost one Query instead of 400 writes.
 */
export function changedOutcomes(
  outcomes: readonly PredictionOutcome[],
  stored: readonly Record<string, unknown>[],
): PredictionOutcome[] {
  const bySort = new Map(stored.map((item) => [String(item.sk), item]));
  return outcomes.filter((outcome) => {
    const existing = bySort.get(MarketKey.predictionSort(outcome));
    return !existing || OUTCOME_FIELDS.some((field) => existing[field] !== outcome[field]);
  });
}

/** Validation items per write call, and calls in flight per symbol (a one-symbol week still writes in parallel). */
const VALIDATION_WRITE_CHUNK = 500;
const VALIDATION_WRITE_CONCURRENCY = 4;

async function writeValidations(deps: TrackerDeps, outcomes: readonly PredictionOutcome[]): Promise<void> {
  const validatedAt = deps.now();
  const chunks: PredictionOutcome[][] = [];
  for (let i = 0; i < outcomes.length; i += VALIDATION_WRITE_CHUNK) {
    chunks.push(outcomes.slice(i, i + VALIDATION_WRITE_CHUNK));
  }
  await mapWithConcurrency(chunks, VALIDATION_WRITE_CONCURRENCY, (chunk) =>
    putValidations(deps.store, chunk.map(validationItem), validatedAt),
  );
}

interface SymbolBatch {
  readonly matched: MatchedPrediction[];
  readonly pending: PendingPrediction[];
  readonly outsideCalendar: number;
  /** Validation items written (new or changed outcomes). */
  readonly written: number;
  /** Milliseconds spent in the two queries, in matching and spans, and in the validation writes. */
  readonly timings: { readonly queryMs: number; readonly matchMs: number; readonly writeMs: number };
}

/**
 * One symbol: one Query each for its predictions, its prices and its stored validations (all by key range,
 * no scans), the matching, and the writes of new or changed validations.
 */
async function validateSymbol(
  deps: TrackerDeps,
  symbol: string,
  window: ValidationWindow,
  models: ReadonlySet<string> | undefined,
): Promise<SymbolBatch> {
  return withSpan(TrackerSpan.VALIDATION_BATCH, { [Attr.SYMBOL]: symbol }, async (span) => {
    const toleranceMs = deps.config.matchToleranceMinutes * 60_000;
    // A prediction due just before `to` may be settled by a price up to the tolerance later.
    const pricesTo = new Date(Date.parse(window.to) + toleranceMs).toISOString();
    const t0 = performance.now();
    const [stored, prices, validated] = await Promise.all([
      queryPredictions(deps.store, symbol, window.from, window.to),
      queryPrices(deps.store, symbol, window.from, pricesTo),
      queryValidations(deps.store, symbol, window.from, window.to),
    ]);
    const t1 = performance.now();
    const predictions = models ? stored.filter((p) => models.has(p.model)) : stored;
    const { matched, pending, outsideCalendar } = matchPredictions(predictions, prices, {
      toleranceMinutes: deps.config.matchToleranceMinutes,
      window: { from: window.from, to: window.to },
    });
    const outcomes = matched.map(predictionOutcome);
    emitPredictionSpans(outcomes);
    span.setAttributes({
      [TrackerAttr.BATCH_PREDICTIONS]: predictions.length,
      [TrackerAttr.BATCH_VALIDATED]: matched.length,
      [TrackerAttr.BATCH_PENDING]: pending.length,
      [TrackerAttr.BATCH_PRICES]: prices.length,
    });
    const t2 = performance.now();
    const changed = changedOutcomes(outcomes, validated);
    span.setAttribute(TrackerAttr.BATCH_WRITTEN, changed.length);
    if (changed.length > 0) await writeValidations(deps, changed);
    const timings = { queryMs: t1 - t0, matchMs: t2 - t1, writeMs: performance.now() - t2 };
    return { matched, pending, outsideCalendar, written: changed.length, timings };
  });
}

/**
 * The time under which the summary is stored (its sort key is `computedAt#summaryId`): a retry of the same
 * invocation (same request id) finds its earlier summary and reuses that time, so it overwrites rather than
 * adds a second summary. Lambda retries an invocation within 6 hours, so only that range is read, keys only.
 */
async function summarySlot(deps: TrackerDeps, computedAt: string): Promise<string> {
  const since = new Date(Date.parse(computedAt) - RETRY_WINDOW_MS).toISOString();
  const recent = await queryAll(
    deps.store.client,
    {
      TableName: deps.store.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': MarketKey.summary(deps.store.namespace),
        ':from': since,
        ':to': `${computedAt}\uffff`,
      },
      ProjectionExpression: 'summaryId, computedAt',
      ScanIndexForward: false,
      Limit: RETRY_LOOKBACK_SUMMARIES,
    },
    RETRY_LOOKBACK_SUMMARIES,
  );
  const earlier = recent.find((item) => item.summaryId === deps.requestId);
  return typeof earlier?.computedAt === 'string' ? earlier.computedAt : computedAt;
}

/** Validates every prediction whose target time lies in [now − lookback, now] and stores the summary. */
export async function validateAll(deps: TrackerDeps, input: ValidateAllInput): Promise<ValidateAllResult> {
  const started = performance.now();
  const now = deps.now();
  const window = validationWindow(now, input.lookback_days);
  const symbols = input.symbols ? distinctSorted(input.symbols) : await listSymbols(deps.store);
  const models = input.models ? new Set(input.models) : undefined;
  const batches = await mapWithConcurrency(symbols, deps.concurrency ?? VALIDATION_CONCURRENCY, (symbol) =>
    validateSymbol(deps, symbol, window, models),
  );
  const matched = batches.flatMap((batch) => batch.matched);
  const pending = batches.flatMap((batch) => batch.pending);
  const outsideCalendar = batches.reduce((total, batch) => total + batch.outsideCalendar, 0);
  const batchesDone = performance.now();
  if (outsideCalendar > 0) {
    logger.warn('target times outside the NYSE calendar were counted in the closed session', {
      predictions: outsideCalendar,
    });
  }

  const summary = await withSpan(TrackerSpan.ACCURACY_SUMMARY, {}, async (span) => {
    const result = summarize(matched, pending, {
      window,
      minSampleForAlert: deps.config.minSampleForAlert,
      alertThreshold: deps.config.accuracyAlertThreshold,
    });
    span.setAttributes(summaryAttributes(result));
    const computedAt = await summarySlot(deps, now.toISOString());
    await putSummary(
      deps.store,
      deps.requestId,
      computedAt,
      storableSummary(result),
      deps.config.summaryTtlDays,
    );
    return result;
  });
  emitSummaryMetrics(summary, deps.config.metricSymbolWatchlist);
  logger.info('validate_all finished', {
    symbols: symbols.length,
    validated: summary.overall.n,
    pending: summary.overall.pending,
    validationsWritten: batches.reduce((total, batch) => total + batch.written, 0),
    alerts: summary.alerts.length,
    lookbackDays: window.lookbackDays,
    durationMs: Math.round(performance.now() - started),
    batchesMs: Math.round(batchesDone - started),
    // Summed over symbols (they run concurrently, so these add up to more than batchesMs).
    queryMs: Math.round(batches.reduce((total, batch) => total + batch.timings.queryMs, 0)),
    matchMs: Math.round(batches.reduce((total, batch) => total + batch.timings.matchMs, 0)),
    writeMs: Math.round(batches.reduce((total, batch) => total + batch.timings.writeMs, 0)),
  });
  return { headline: headline(summary), summaryId: deps.requestId, summary };
}

const pct = (x: number | null, digits = 1): string => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)} %`);

/** "1110 predictions validated, 4 pending, over 7 days: hit rate 66.4 % (95 % CI 63.6 %–69.1 %), …" */
export function headline(summary: TrackerSummary): string {
  const { overall, window, alerts } = summary;
  const parts = [
    `${overall.n} prediction${overall.n === 1 ? '' : 's'} validated, ${overall.pending} pending, ` +
      `over ${window.lookbackDays} day${window.lookbackDays === 1 ? '' : 's'}`,
  ];
  if (overall.n > 0) {
    const ci = overall.hitRateCi
      ? ` (95 % CI ${pct(overall.hitRateCi[0])}–${pct(overall.hitRateCi[1])})`
      : '';
    parts.push(
      `hit rate ${pct(overall.hitRate)}${ci}, mean price error ` +
        `${overall.meanPriceErrorPct === null ? 'n/a' : `${overall.meanPriceErrorPct.toFixed(2)} %`}, ` +
        `ECE ${overall.ece === null ? 'n/a' : overall.ece.toFixed(3)}`,
    );
  }
  parts.push(
    alerts.length === 0
      ? 'no accuracy alert'
      : `${alerts.length} accuracy alert${alerts.length === 1 ? '' : 's'}: ` +
          alerts.map((alert) => `${alert.scope} ${alert.key} ${pct(alert.hitRate)}`).join(', '),
  );
  return `${parts.join('; ')}.`;
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

/** The latest summaries, newest first. */
export async function reportSummaries(deps: TrackerDeps, input: ReportInput): Promise<StoredSummary[]> {
  const items = await latestSummaries(deps.store, input.limit);
  return items.map((item) => {
    const summary = item.summary as TrackerSummary;
    return {
      summaryId: String(item.summaryId),
      computedAt: String(item.computedAt),
      headline: headline(summary),
      summary,
    };
  });
}

export type TrackerResult =
  | Success<RecordResult>
  | Success<ValidateAllResult>
  | Success<{ count: number; summaries: StoredSummary[] }>
  | Failure;

/** Runs an already validated payload. */
export async function runTrackerAction(deps: TrackerDeps, payload: TrackerPayload): Promise<TrackerResult> {
  switch (payload.action) {
    case TrackerAction.RECORD_PREDICTIONS:
      return ok(await recordPredictions(deps, payload.predictions));
    case TrackerAction.RECORD_PRICES:
      return ok(await recordPrices(deps, payload.prices));
    case TrackerAction.VALIDATE_ALL:
      return ok(await validateAll(deps, payload));
    case TrackerAction.REPORT: {
      const summaries = await reportSummaries(deps, payload);
      return ok({ count: summaries.length, summaries });
    }
  }
}

/** The batch fields whose size limit makes a payload "too large"; any other upper bound is an invalid value. */
const BATCH_FIELDS: ReadonlySet<string> = new Set(['predictions', 'prices']);

/**
 * parsePayload reports every top-level `too_big` as PAYLOAD_TOO_LARGE, so `lookback_days: 366` would read
 * as an oversized payload; only an oversized batch is one.
 */
function classifyFailure(failure: Failure): Failure {
  if (failure.error.code !== ErrorCode.PAYLOAD_TOO_LARGE) return failure;
  const oversizedBatch = failure.error.issues.some(
    (issue) => issue.code === 'too_big' && BATCH_FIELDS.has(issue.path),
  );
  return oversizedBatch
    ? failure
    : { ok: false, error: { ...failure.error, code: ErrorCode.INVALID_PAYLOAD } };
}

/** Validates the payload (bad input → ok:false, nothing written) and runs the action. */
export async function handleTrackerEvent(deps: TrackerDeps, event: unknown): Promise<TrackerResult> {
  const parsed = parsePayload(trackerPayloadSchema, event, TRACKER_ACTIONS);
  if (!parsed.ok) return classifyFailure(parsed);
  return runTrackerAction(deps, parsed.value);
}
