/**
 * trading-intelligence actions: `analyze` (opportunity scores, ranked and stored), `rankings` (the latest
 * stored), `session_correlation` (hit rate, price error and signal return by session and ET hour) and
 * `scheduled_rankings` (the EventBridge Scheduler entry: NYSE guard, then analyze as of the scheduled time).
 *
 * Exported so that observability-demo can run them in-process with its own namespace: pass `deps` with
 * store contexts on the `demo` partition. Telemetry goes through the layer (spans, EMF metrics, logs).
 */
import { Attr, logger, MetricUnit, metrics, withSpan } from '@trading-observability/otel';
import {
  CalendarRangeError,
  type GuardCode,
  InvalidInstantError,
  type MarketSession,
  marketGuard,
  sessionAt,
} from '../shared/market';
import { ProductMetric } from '../shared/names/metrics';
import { SpanName } from '../shared/names/spans';
import { inPartitionOf, isLivePartition } from '../shared/partition';
import { ErrorCode, type Failure, ok } from '../shared/response';
import {
  latestRankings,
  listSymbols,
  putRanking,
  queryPredictions,
  queryValidations,
  type StoreContext,
} from '../shared/store';
import { rankOpportunities, scoreOpportunity, summarizeRanking } from '../shared/trading';
import type { TradingConfig } from './config';
import { currentPrediction, knownAt, type LookbackWindow, lookbackWindow, opportunityInputs } from './inputs';
import { recentPrices } from './market-reads';
import { type Analysis, forStorage, round, type SymbolAnalysis, toEntry } from './ranking';
import type {
  AnalyzeRequest,
  RankingsRequest,
  ScheduledRankingsRequest,
  SessionCorrelationRequest,
  TradingRequest,
} from './schemas';
import { type CorrelationGroup, type HourGroup, sessionCorrelation } from './session-correlation';
import { toValidationRecords } from './validations';

export { type Analysis, forStorage, MAX_STORED_RANKING_CHARS, type RankingEntry } from './ranking';

export interface TradingDeps {
  /** The market table (predictions, prices, validations, symbol registry): read only. */
  readonly market: StoreContext;
  /** The rankings table. */
  readonly rankings: StoreContext;
  readonly config: TradingConfig;
  readonly now: () => Date;
  /** Symbols analysed at once. @default 4 */
  readonly concurrency?: number;
}

/** Span attributes specific to trading-intelligence (the shared ones come from `Attr`). */
export const TradingAttr = {
  VALIDATED_PREDICTIONS: 'trading.validated_predictions',
  UNSCORED_REASON: 'trading.unscored_reason',
  RANK: 'trading.rank',
} as const;

export type TradingFailure = Failure;

function calendarFailure(error: CalendarRangeError | InvalidInstantError, field: string): TradingFailure {
  return {
    ok: false,
    error: {
      code: ErrorCode.CALENDAR_OUT_OF_RANGE,
      message: `${error.message} Nothing was analysed or written.`,
      issues: [{ path: field, message: error.message, code: 'calendar_range' }],
    },
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------- analyze

async function analyseSymbol(
  deps: TradingDeps,
  symbol: string,
  asOf: string,
  session: MarketSession,
  window: LookbackWindow,
  pricesFrom: string,
): Promise<SymbolAnalysis> {
  const { analysis, score } = deps.config;
  return withSpan(
    SpanName.OPPORTUNITY_ANALYSIS,
    { [Attr.SYMBOL]: symbol, [Attr.MARKET_SESSION]: session },
    async (span) => {
      const horizonEnd = new Date(
        Date.parse(asOf) + analysis.predictionHorizonDays * 86_400_000,
      ).toISOString();
      const [validationItems, predictions, prices] = await Promise.all([
        queryValidations(deps.market, symbol, window.from, asOf),
        queryPredictions(deps.market, symbol, asOf, horizonEnd),
        recentPrices(deps.market, symbol, pricesFrom, asOf, analysis.maxPriceBars),
      ]);
      const { records, unreadable } = toValidationRecords(validationItems);
      const evidence = opportunityInputs(
        symbol,
        knownAt(records, asOf),
        currentPrediction(predictions, asOf),
        prices,
        score.momentumLookback,
      );
      const result = scoreOpportunity(evidence.inputs, score);
      span.setAttribute(Attr.IS_OPPORTUNITY, result.isOpportunity);
      span.setAttribute(TradingAttr.VALIDATED_PREDICTIONS, evidence.inputs.validatedPredictions);
      if (result.score !== null) span.setAttribute(Attr.OPPORTUNITY_SCORE, result.score);
      else span.setAttribute(TradingAttr.UNSCORED_REASON, result.codes.join(','));
      if (evidence.signalReturnPct !== null) {
        span.setAttribute(Attr.SIGNAL_RETURN_PCT, evidence.signalReturnPct);
      }
      return { result, signalReturnPct: evidence.signalReturnPct, current: evidence.current, unreadable };
    },
  );
}

/**
 * Scores every symbol (or `symbols`) as of `asOf` (default now), ranks them, stores the ranking under
 * asOf and emits `OpportunitiesFound` and `TopOpportunityScore`.
 */
async function analyzeInPartition(
  deps: TradingDeps,
  request: Omit<AnalyzeRequest, 'action'> & { readonly trigger?: Analysis['trigger'] },
): Promise<
  (Analysis & { readonly ok: true; readonly stored: boolean; readonly message?: string }) | TradingFailure
> {
  const asOf = request.asOf ?? deps.now().toISOString();
  let session: MarketSession;
  let window: LookbackWindow;
  try {
    session = sessionAt(asOf);
    window = lookbackWindow(asOf, request.lookback_trading_days ?? deps.config.analysis.lookbackTradingDays);
  } catch (error) {
    if (error instanceof CalendarRangeError || error instanceof InvalidInstantError) {
      return calendarFailure(error, 'asOf');
    }
    throw error;
  }
  const pricesFrom = new Date(
    Date.parse(asOf) - deps.config.analysis.priceLookbackDays * 86_400_000,
  ).toISOString();
  const symbols = request.symbols ? [...new Set(request.symbols)].sort() : await listSymbols(deps.market);
  const analysed = await mapLimit(symbols, deps.concurrency ?? 4, (symbol) =>
    analyseSymbol(deps, symbol, asOf, session, window, pricesFrom),
  );
  const bySymbol = new Map(analysed.map((a) => [a.result.symbol, a]));
  const ranked = rankOpportunities(analysed.map((a) => a.result));
  const summary = summarizeRanking(ranked);
  const ranking = ranked.map((result, i) =>
    toEntry(bySymbol.get(result.symbol) as SymbolAnalysis, result.score === null ? null : i + 1),
  );
  const top = ranking[0]?.score != null ? (ranking[0]?.symbol ?? null) : null;
  const result: Analysis = {
    asOf,
    session,
    trigger: request.trigger ?? 'analyze',
    threshold: deps.config.score.opportunityThreshold,
    weights: deps.config.score.weights,
    window: {
      validationsFrom: window.from,
      pricesFrom,
      to: asOf,
      tradingDays: window.tradingDays,
      approximate: window.approximate,
    },
    summary: {
      symbols: symbols.length,
      ...summary,
      topSymbol: top,
      opportunities: ranking.filter((e) => e.isOpportunity).map((e) => e.symbol),
      unreadableValidations: analysed.reduce((s, a) => s + a.unreadable, 0),
    },
    ranking,
  };
  await putRanking(deps.rankings, forStorage(result), deps.config.analysis.rankingTtlDays, deps.now());
  metrics.add(ProductMetric.OPPORTUNITIES_FOUND, MetricUnit.COUNT, summary.opportunitiesFound);
  if (summary.topOpportunityScore !== null) {
    metrics.add(ProductMetric.TOP_OPPORTUNITY_SCORE, MetricUnit.NONE, summary.topOpportunityScore);
  }
  logger.info('opportunity ranking stored', {
    asOf,
    session,
    trigger: result.trigger,
    symbols: symbols.length,
    scored: summary.scored,
    opportunities_found: summary.opportunitiesFound,
    top_opportunity_score: summary.topOpportunityScore,
    top_symbol: top,
  });
  return {
    ok: true,
    ...result,
    stored: true,
    ...(symbols.length === 0
      ? { message: 'no symbols recorded yet: record prices and predictions with dual-accuracy-tracker first' }
      : {}),
  };
}

// --------------------------------------------------------------------------------------------- rankings

export async function rankings(deps: TradingDeps, request: Omit<RankingsRequest, 'action'>) {
  const stored = await latestRankings(deps.rankings, request.limit);
  return ok({
    count: stored.length,
    rankings: stored,
    ...(stored.length === 0 ? { message: 'no ranking stored yet: run {"action":"analyze"}' } : {}),
  });
}

// ---------------------------------------------------------------------------------- session_correlation

function roundGroup<G extends CorrelationGroup>(group: G): G {
  return {
    ...group,
    hitRate: round(group.hitRate),
    hitRateCi: group.hitRateCi
      ? ([round(group.hitRateCi[0]) ?? 0, round(group.hitRateCi[1]) ?? 0] as const)
      : null,
    meanPriceErrorPct: round(group.meanPriceErrorPct),
    meanSignalReturnPct: round(group.meanSignalReturnPct),
  };
}

export const SESSION_CORRELATION_DEFINITIONS = {
  grouping:
    'each validated prediction whose targetTime is in the window and whose price was known by its end counts ' +
    'in the NYSE session and the ET hour (0-23) of its targetTime',
  hitRate: 'direction hits / n, with the Wilson 95 % interval hitRateCi',
  meanPriceErrorPct: 'mean of |predictedPrice - actualPrice| / actualPrice x 100',
  meanSignalReturnPct:
    'mean of sign(predicted return) x actual return (%), both from basePrice: the return of acting on the ' +
    "prediction's direction, before costs; flat predictions are not signals (count: signals)",
} as const;

async function sessionCorrelationInPartition(
  deps: TradingDeps,
  request: Omit<SessionCorrelationRequest, 'action'>,
) {
  const to = request.asOf ?? deps.now().toISOString();
  const from = new Date(Date.parse(to) - request.lookback_days * 86_400_000).toISOString();
  const symbols = request.symbols ? [...new Set(request.symbols)].sort() : await listSymbols(deps.market);
  const items = (
    await mapLimit(symbols, deps.concurrency ?? 4, (symbol) =>
      queryValidations(deps.market, symbol, from, to),
    )
  ).flat();
  const parsed = toValidationRecords(items);
  // As of `to`: outcomes whose price came in later were not known yet (same rule as analyze).
  const records = knownAt(parsed.records, to);
  const unreadable = parsed.unreadable;
  const correlation = sessionCorrelation(records);
  const bySession = Object.fromEntries(
    Object.entries(correlation.bySession).map(([session, group]) => [session, roundGroup(group)]),
  );
  return ok({
    window: { from, to, lookbackDays: request.lookback_days },
    symbols: symbols.length,
    validations: records.length,
    unreadableValidations: unreadable,
    unplacedValidations: correlation.unplaced,
    bestSession: correlation.bestSession,
    overall: roundGroup(correlation.overall),
    bySession,
    byHour: correlation.byHour.map((group): HourGroup => roundGroup(group)),
    definitions: SESSION_CORRELATION_DEFINITIONS,
  });
}

// ----------------------------------------------------------------------------------- scheduled_rankings

export interface SkippedRun {
  readonly ok: true;
  readonly skipped: true;
  readonly reason: string;
  readonly code: GuardCode;
  readonly session: MarketSession;
  readonly scheduledTime: string;
  readonly etTime: string;
}

/** The Scheduler's entry: runs `analyze` as of the scheduled time inside the regular session only. */
export async function scheduledRankings(
  deps: TradingDeps,
  request: Omit<ScheduledRankingsRequest, 'action'>,
): Promise<SkippedRun | (Analysis & { ok: true; stored: boolean; skipped: false }) | TradingFailure> {
  let guard: ReturnType<typeof marketGuard>;
  try {
    guard = marketGuard(request.scheduledTime);
  } catch (error) {
    if (error instanceof CalendarRangeError || error instanceof InvalidInstantError) {
      logger.error('scheduled rankings: time outside the NYSE calendar', {
        scheduled_time: request.scheduledTime,
        error: error.message,
      });
      return calendarFailure(error, 'scheduledTime');
    }
    throw error;
  }
  if (!guard.run) {
    logger.info('scheduled rankings skipped', {
      scheduled_time: request.scheduledTime,
      code: guard.code,
      reason: guard.reason,
    });
    return {
      ok: true,
      skipped: true,
      reason: guard.reason,
      code: guard.code,
      session: guard.session,
      scheduledTime: request.scheduledTime,
      etTime: guard.etTime,
    };
  }
  const result = await analyze(deps, { asOf: request.scheduledTime, trigger: 'scheduled' });
  if (!result.ok) return result;
  if (result.stored && isLivePartition(deps.rankings.namespace)) {
    metrics.add(ProductMetric.RANKINGS_PRODUCED, MetricUnit.COUNT, 1);
  }
  return { ...result, skipped: false };
}

/** Dispatches a validated payload to its action. */
async function runActionInPartition(deps: TradingDeps, request: TradingRequest) {
  switch (request.action) {
    case 'analyze':
      return analyze(deps, request);
    case 'rankings':
      return rankings(deps, request);
    case 'session_correlation':
      return sessionCorrelationReport(deps, request);
    case 'scheduled_rankings':
      return scheduledRankings(deps, request);
  }
}

// Each entry point runs in its data partition's telemetry scope, whoever calls it (handler, demo story): the
// demo's rankings and opportunity metrics carry DataPartition and never reach the live alarms.
const rankingsPartition = (deps: TradingDeps) => deps.rankings.namespace;
export const analyze = inPartitionOf(rankingsPartition, analyzeInPartition);
export const sessionCorrelationReport = inPartitionOf(rankingsPartition, sessionCorrelationInPartition);
export const runAction = inPartitionOf(rankingsPartition, runActionInPartition);
