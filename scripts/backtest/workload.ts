/**
 * The replayed platform, minute by minute: what each function does and what it emits to CloudWatch, from real
 * prices and the controlled-skill model (lambdas/observability-demo/replay), with incidents injected at known times.
 *
 * Per minute of the NYSE regular session (assumptions, documented in docs/alert-quality.md):
 * - the price feed calls dual-accuracy-tracker record_prices once per symbol (MarketDataLagSeconds per watched
 *   symbol: seconds since the newest price it carries);
 * - each model calls record_predictions once per symbol (60-minute horizon), and the desk reads rankings once;
 * - every quarter-hour in the session trading-intelligence scheduled_rankings runs (a failed run is retried once a
 *   minute later; a successful one emits RankingsProduced).
 * Around the clock: validate_all every quarter-hour over the rules' lookback (the tracker's own run:
 * validation-run.ts), the sampling optimizer every quarter-hour (tracing-cost.ts), the key-age-check probe every
 * 5 minutes (MarketSessionOpen, IngestionKeyAgeDays). Every invocation emits AWS/Lambda Invocations, Errors and
 * Duration.
 */
import {
  createRng,
  replayPlan,
  replayPrices,
  WORKLOAD_SYMBOLS,
} from '../../lambdas/observability-demo/replay';
import type { MatchedPrediction } from '../../lambdas/shared/accuracy';
import type { MarketDayInfo } from '../../lambdas/shared/market';
import { ProductMetric } from '../../lambdas/shared/names/metrics';
import { METRICS_NAMESPACE, VolumeMetric } from '../../layers/otel/src/constants';
import {
  type AlertParams,
  AwsNamespace,
  type ExpressionRule,
  KEY_AGE_CHECK_NAME,
  type MonitoredFunction,
} from '../../lib/alerting/rules';
import { MetricStore } from './metric-store';
import {
  BACKTEST_MODELS,
  extraModelPredictions,
  type IndexedPrediction,
  indexPredictions,
  variantSelector,
} from './predictions';
import { type Incident, IncidentKind } from './scenarios';
import { TracingCostReplay } from './tracing-cost';
import { validationRun } from './validation-run';
import {
  DURATIONS,
  lognormal,
  lookbackMinutesOf,
  MINUTE_MS,
  type Session,
  volumeFactor,
  WORKLOAD_DEFAULTS,
} from './workload-profile';

const TRACKER: MonitoredFunction = 'dual-accuracy-tracker';
const INTELLIGENCE: MonitoredFunction = 'trading-intelligence';
const OPTIMIZER: MonitoredFunction = 'sampling-optimizer';

export interface WorkloadInput {
  readonly days: readonly MarketDayInfo[];
  readonly incidents: readonly Incident[];
  readonly params: AlertParams;
  readonly accuracyRule: ExpressionRule;
  readonly seed: number;
  readonly onProgress?: (message: string) => void;
}

export interface Workload {
  readonly store: MetricStore;
  /** UTC ms of minute 0. */
  readonly originMs: number;
  /** Minutes replayed (minute indexes 0 … totalMinutes − 1). */
  readonly totalMinutes: number;
  readonly predictions: number;
  readonly invocations: number;
  readonly validationsPerMinute: number;
  readonly lookbackMinutes: number;
  /** Every scheduled validate_all: the metric series it emitted, its stored summary's size, its models. */
  readonly validationRuns: readonly ValidationRunStats[];
  /** Every prediction's outcome by target minute (sorted), as the tracker validates it. */
  readonly outcomes: readonly PredictionOutcomeAt[];
}

export interface PredictionOutcomeAt {
  readonly targetMinute: number;
  readonly model: string;
  readonly symbol: string;
  readonly hit: boolean;
}

export interface ValidationRunStats {
  readonly minute: number;
  readonly series: number;
  readonly storedChars: number;
  readonly models: number;
  readonly alerting: readonly string[];
}

export function simulateWorkload(input: WorkloadInput): Workload {
  const { days, incidents, params, seed } = input;
  const progress = input.onProgress ?? (() => undefined);
  const firstDay = days[0];
  const lastDay = days[days.length - 1];
  if (!firstDay || !lastDay) throw new RangeError('no trading days');
  const originMs = Date.parse(`${firstDay.date}T00:00:00Z`);
  const totalMinutes = Math.round(
    (Date.parse(`${lastDay.date}T00:00:00Z`) + 2 * 86_400_000 - originMs) / MINUTE_MS,
  );
  const minuteOf = (ms: number) => Math.floor((ms - originMs) / MINUTE_MS);
  const isoOf = (minute: number) => new Date(originMs + minute * MINUTE_MS).toISOString();

  const sessions: Session[] = days.map((day) => ({
    open: minuteOf(Date.parse(day.open as string)),
    close: minuteOf(Date.parse(day.close as string)),
  }));
  const openAt = new Uint8Array(totalMinutes);
  for (const { open, close } of sessions) openAt.fill(1, open, close);

  // Real prices, one point a minute in the regular session, and the model's predictions (three variants).
  progress(
    `replaying ${WORKLOAD_SYMBOLS.length} symbols × ${days.length} trading days of real prices, minute by minute`,
  );
  const plan = replayPlan({
    symbols: WORKLOAD_SYMBOLS,
    tradingDays: days.length,
    endDate: lastDay.date,
    intervalMinutes: 1,
    includeExtendedHours: false,
    seed,
  });
  const prices = replayPrices(plan);
  const priceAt = new Map<string, Float64Array>();
  for (const symbol of WORKLOAD_SYMBOLS) priceAt.set(symbol, new Float64Array(totalMinutes));
  for (const point of prices) {
    const minute = minuteOf(Date.parse(point.timestamp));
    if (minute >= 0 && minute < totalMinutes)
      (priceAt.get(point.symbol) as Float64Array)[minute] = point.price;
  }
  const inWindow = (kind: IncidentKind, minute: number) =>
    incidents.some((i) => i.kind === kind && minute >= minuteOf(i.startMs) && minute < minuteOf(i.endMs));
  progress('predicting: healthy, degraded and over-confident variants of the same predictions');
  const indexed = indexPredictions({
    prices,
    incidents,
    seed,
    skill: WORKLOAD_DEFAULTS.skill,
    horizonMinutes: WORKLOAD_DEFAULTS.horizonMinutes,
    minuteOf,
    priceAt: (symbol, minute) => (priceAt.get(symbol) as Float64Array)[minute] as number,
  });
  const variantOf = variantSelector(incidents, minuteOf);
  // What each prediction turned out to be (its variant's direction hit), for the sequential tests beside the alarm.
  const outcomes: PredictionOutcomeAt[] = indexed.map((p) => {
    const v = variantOf(p);
    return {
      targetMinute: p.targetMinute,
      model: p.model,
      symbol: p.symbol,
      hit: Math.sign(v.predictedPrice - v.basePrice) === Math.sign(v.actualPrice - v.basePrice),
    };
  });
  const predictionsPerMinute = BACKTEST_MODELS.length * WORKLOAD_SYMBOLS.length;
  const growth = incidents.filter((i) => i.kind === IncidentKind.MODEL_ID_GROWTH);
  const runs: ValidationRunStats[] = [];

  const store = new MetricStore(['Duration']);
  const rng = createRng(seed).fork('backtest', 'workload');
  const service = params.serviceName;
  const ours = (name: string, minute: number, value: number, extra: Record<string, string> = {}) =>
    store.put(METRICS_NAMESPACE, name, { Service: service, ...extra }, minute, value);

  const errorRateAt = (minute: number): number => {
    let rate: number = WORKLOAD_DEFAULTS.baseErrorRate;
    for (const incident of incidents) {
      if (incident.kind !== IncidentKind.ERROR_BURST) continue;
      if (minute >= minuteOf(incident.startMs) && minute < minuteOf(incident.endMs))
        rate = incident.errorRate ?? rate;
    }
    return rate;
  };
  // Injected bursts fail exactly their share of invocations (every 1/rate-th); healthy errors are random.
  const burstCredit = new Map<MonitoredFunction, number>();
  let invocations = 0;
  const invoke = (
    fn: MonitoredFunction,
    minute: number,
    duration: readonly [number, number],
    fast: boolean,
  ): boolean => {
    invocations++;
    const rate = fn === KEY_AGE_CHECK_NAME ? 0 : errorRateAt(minute);
    let failed: boolean;
    if (rate > WORKLOAD_DEFAULTS.baseErrorRate) {
      const credit = (burstCredit.get(fn) ?? rng.next()) + rate;
      failed = credit >= 1;
      burstCredit.set(fn, failed ? credit - 1 : credit);
    } else failed = rng.bernoulli(rate);
    let ms = lognormal(rng, duration);
    if (fast && rng.bernoulli(WORKLOAD_DEFAULTS.coldStartRate)) ms += rng.uniform(600, 1_200);
    const dims = { FunctionName: fn };
    store.put(AwsNamespace.LAMBDA, 'Invocations', dims, minute, 1);
    store.put(AwsNamespace.LAMBDA, 'Errors', dims, minute, failed ? 1 : 0);
    store.put(AwsNamespace.LAMBDA, 'Duration', dims, minute, Math.round(ms));
    return !failed;
  };

  // Sampling: the live configuration (what the layer applies) and the span volume of the current quarter-hour.
  const tracing = new TracingCostReplay(params.tracingBudgetPerDay);

  const frozen = new Map<string, number>();
  const keyAgeOffsetDays = 10;
  const lookbackMinutes = lookbackMinutesOf(input.accuracyRule);
  let predictionCursorLow = 0;
  let sessionIndex = 0;
  let rankingFailedAt = -1;

  // Predictions whose target lies in (minute − lookback, minute]: validate_all's work, hence its duration.
  const targetMinutes = Int32Array.from(indexed, (p) => p.targetMinute);
  const upperBound = (value: number) => {
    let low = 0;
    let high = targetMinutes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((targetMinutes[middle] as number) <= value) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const countTargets = (minute: number) =>
    upperBound(minute) - upperBound(minute - lookbackMinutesOf(input.accuracyRule));

  progress(`simulating ${totalMinutes} minutes (${(totalMinutes / 1440).toFixed(0)} calendar days)`);
  for (let minute = 0; minute < totalMinutes; minute++) {
    if (minute % (1440 * 10) === 0 && minute > 0)
      progress(`  workload: day ${Math.floor(minute / 1440)} of ${Math.ceil(totalMinutes / 1440)}`);
    while (sessionIndex < sessions.length - 1 && minute >= (sessions[sessionIndex] as Session).close)
      sessionIndex++;
    const session = sessions[sessionIndex] as Session;
    const inSession = openAt[minute] === 1;
    const quarter = minute % 15 === 0;

    // key-age-check: the market clock and the key's age.
    if (minute % 5 === 0) {
      invoke(KEY_AGE_CHECK_NAME, minute, DURATIONS.keyAgeCheck, true);
      ours(ProductMetric.MARKET_SESSION_OPEN, minute, openAt[minute] as number);
      const ageDays = (keyAgeOffsetDays + minute / 1440) % WORKLOAD_DEFAULTS.keyRotationDays;
      ours(ProductMetric.INGESTION_KEY_AGE_DAYS, minute, Math.floor(ageDays));
    }

    if (inSession) {
      // The price feed: one record_prices per symbol per minute (unless the feed is down).
      const feedDown = inWindow(IncidentKind.MARKET_DATA_FEED_DOWN, minute);
      for (const symbol of WORKLOAD_SYMBOLS) {
        if (feedDown || rng.bernoulli(WORKLOAD_DEFAULTS.feedSkipRate)) continue;
        const stale = incidents.some(
          (i) =>
            i.kind === IncidentKind.STALE_MARKET_DATA &&
            i.symbols?.includes(symbol) &&
            minute >= minuteOf(i.startMs) &&
            minute < minuteOf(i.endMs),
        );
        if (stale && !frozen.has(symbol)) frozen.set(symbol, minute - 1);
        if (!stale) frozen.delete(symbol);
        const newest = frozen.get(symbol) ?? minute;
        if (!invoke(TRACKER, minute, DURATIONS.recordPrices, true)) continue;
        if (params.watchlist.includes(symbol)) {
          const [low, high] = WORKLOAD_DEFAULTS.feedDelaySeconds;
          const lag = (minute - newest) * 60 + rng.uniform(low, high);
          ours(ProductMetric.MARKET_DATA_LAG_SECONDS, minute, Math.round(lag * 10) / 10, { Symbol: symbol });
        }
      }
      // The models' record_predictions (one call per model and symbol) and the desk's ranking reads.
      for (let call = 0; call < predictionsPerMinute; call++)
        invoke(TRACKER, minute, DURATIONS.recordPredictions, true);
      invoke(INTELLIGENCE, minute, DURATIONS.readRankings, true);
      // Scheduled rankings every quarter-hour of the session; one retry a minute later.
      const retry = (minute - 1) % 15 === 0 && minute - 1 >= session.open && rankingFailedAt === minute - 1;
      if (quarter || retry) {
        if (invoke(INTELLIGENCE, minute, DURATIONS.scheduledRankings, false)) {
          ours(ProductMetric.RANKINGS_PRODUCED, minute, 1);
        } else if (quarter) rankingFailedAt = minute;
      }
    }

    // Span volume of this minute, sampled with the live configuration.
    const spike = incidents.some(
      (i) =>
        i.kind === IncidentKind.TRACING_COST_SPIKE &&
        minute >= minuteOf(i.startMs) &&
        minute < minuteOf(i.endMs),
    );
    const factor = volumeFactor(minute, session, inSession, rng) * (spike ? 3 : 1);
    for (const [category, bytes] of tracing.addMinute(factor)) {
      // What the layer emits per flush (Service, Category): the exported bytes the bill is made of.
      ours(VolumeMetric.SPAN_BYTES_EXPORTED, minute, bytes, { Category: category });
    }

    if (minute % WORKLOAD_DEFAULTS.validateEveryMinutes === 0) {
      // validate_all over the lookback window of target times (on its schedule, around the clock).
      const windowSize = countTargets(minute);
      const validateDuration: [number, number] = [
        DURATIONS.validateAll[0] + 4 * windowSize,
        DURATIONS.validateAll[1],
      ];
      if (invoke(TRACKER, minute, validateDuration, windowSize === 0)) {
        while (
          predictionCursorLow < indexed.length &&
          (indexed[predictionCursorLow] as IndexedPrediction).targetMinute <= minute - lookbackMinutes
        ) {
          predictionCursorLow++;
        }
        const window: MatchedPrediction[] = [];
        for (let i = predictionCursorLow; i < indexed.length; i++) {
          const p = indexed[i] as IndexedPrediction;
          if (p.targetMinute > minute) break;
          window.push(variantOf(p));
        }
        const extra = growth.find((i) => minute >= minuteOf(i.startMs) && minute < minuteOf(i.endMs));
        if (extra?.extraModelIds) {
          window.push(...extraModelPredictions(extra.extraModelIds, window, WORKLOAD_DEFAULTS.skill, rng));
        }
        // The tracker's own run: its summary, bounded, and its metrics (watched groups capped).
        const run = validationRun(
          window,
          {
            start: isoOf(minute - lookbackMinutes),
            end: isoOf(minute),
            lookbackDays: lookbackMinutes / 1440,
          },
          params,
        );
        for (const point of run.points) ours(point.name, minute, point.value, point.dimensions);
        runs.push({
          minute,
          series: run.series,
          storedChars: run.storedChars,
          models: run.models,
          alerting: run.alerting,
        });
      }
    }
    if (quarter) {
      // The sampling optimizer over the quarter-hour that just ended.
      if (invoke(OPTIMIZER, minute, DURATIONS.optimize, true) && minute > 0) {
        const cost = tracing.optimize();
        if (cost !== null) ours(ProductMetric.ESTIMATED_TRACING_COST_PER_DAY, minute, cost);
      }
      tracing.nextWindow();
    }
  }
  return {
    store,
    originMs,
    totalMinutes,
    predictions: indexed.length,
    invocations,
    validationsPerMinute: predictionsPerMinute,
    lookbackMinutes,
    validationRuns: runs,
    outcomes,
  };
}
