/**
 * The dual-accuracy-tracker's actions over a deps object (store context, configuration, clock, request id),
 * so the handler stays thin and the observability-demo function can run them in-process in its own namespace.
 */
import { Attr, logger, withSpan } from '@trading-observability/otel';
import {
  calibrationAlerts,
  type MatchedPrediction,
  matchPredictions,
  type PendingPrediction,
  predictionOutcome,
  summarize,
} from '../shared/accuracy';
import type { AppConfig } from '../shared/config';
import { GroupAlertRun, VALIDATE_ALL_FINISHED } from '../shared/names/logs';
import { MetricDimension, RunKind } from '../shared/names/metrics';
import { SpanName } from '../shared/names/spans';
import { inPartitionOf } from '../shared/partition';
import { type Failure, ok, parsePayload, type Success } from '../shared/response';
import type { PredictionInput, PricePointInput } from '../shared/schemas';
import {
  latestSummaries,
  listSymbols,
  putPredictions,
  putPrices,
  putSummary,
  queryPredictions,
  queryPrices,
  queryValidations,
  type StoreContext,
} from '../shared/store';
import { mapWithConcurrency } from './concurrency';
import { logGroupAlerts } from './group-alert-log';
import { headline } from './headline';
import {
  type ReportInput,
  TRACKER_ACTIONS,
  TrackerAction,
  TrackerDefaults,
  type TrackerPayload,
  trackerPayloadSchema,
  type ValidateAllInput,
} from './schemas';
import { limitSummary } from './summary-limits';
import {
  alertingCounts,
  type GroupAlerts,
  type MetricSelection,
  marketDataLagMetrics,
  summaryMetrics,
} from './summary-metrics';
import { boundedReport, storableSummary, summaryTime } from './summary-store';
import { emitMetrics, emitPredictionSpans, summaryAttributes, TrackerAttr } from './telemetry';
import type {
  RecordResult,
  StoredSummary,
  TrackerSummary,
  ValidateAllResult,
  ValidationWindow,
} from './types';
import { outcomesToStore, writeValidations } from './validations';

export type {
  RecordResult,
  StoredSummary,
  TrackerSummary,
  ValidateAllResult,
  ValidationWindow,
} from './types';

export type TrackerConfig = Pick<
  AppConfig,
  | 'matchToleranceMinutes'
  | 'minSampleForAlert'
  | 'accuracyAlertThreshold'
  | 'calibrationAlertEce'
  | 'minSampleForCalibrationAlert'
  | 'metricSymbolWatchlist'
  | 'metricModelWatchlist'
  | 'metricDimensionCap'
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
const DAY_MS = 86_400_000;

function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Tracker actions run in the telemetry scope of the partition they work in (`deps.store.namespace`). */
const inPartition = <A extends unknown[], R>(action: (deps: TrackerDeps, ...args: A) => Promise<R>) =>
  inPartitionOf((deps: TrackerDeps) => deps.store.namespace, action);

function metricSelection(config: TrackerConfig, extraDimensions?: Record<string, string>): MetricSelection {
  return {
    symbolWatchlist: config.metricSymbolWatchlist,
    modelWatchlist: config.metricModelWatchlist,
    dimensionCap: config.metricDimensionCap,
    ...(extraDimensions ? { extraDimensions } : {}),
  };
}

/**
 * Whether a validate_all is the alarms' run: every symbol and model, over the scheduled window. Any other run
 * (a filter, a 7-day look by hand) marks its metrics `Run: ad-hoc`, so it cannot page or hide a page.
 */
export function isAlarmRun(input: ValidateAllInput): boolean {
  return (
    input.symbols === undefined &&
    input.models === undefined &&
    Math.round(input.lookback_days * 24 * 60 * 1000) === TrackerDefaults.ALARM_LOOKBACK_MINUTES * 1000
  );
}

/** Stores predictions; the same (symbol, model, predictedAt, targetTime) is one item however often it is sent. */
export const recordPredictions = inPartition(
  async (deps: TrackerDeps, predictions: readonly PredictionInput[]): Promise<RecordResult> => {
    const { written } = await putPredictions(deps.store, predictions, deps.now());
    return { recorded: written, symbols: distinctSorted(predictions.map((p) => p.symbol)) };
  },
);

/** Stores prices; one item per (symbol, timestamp): a re-sent price overwrites itself. */
export const recordPrices = inPartition(
  async (deps: TrackerDeps, prices: readonly PricePointInput[]): Promise<RecordResult> => {
    const now = deps.now();
    const { written } = await putPrices(deps.store, prices, now);
    emitMetrics(marketDataLagMetrics(prices, metricSelection(deps.config), now));
    return { recorded: written, symbols: distinctSorted(prices.map((p) => p.symbol)) };
  },
);

export function validationWindow(now: Date, lookbackDays: number): ValidationWindow {
  return {
    from: new Date(now.getTime() - lookbackDays * DAY_MS).toISOString(),
    to: now.toISOString(),
    lookbackDays,
  };
}

interface SymbolBatch {
  readonly matched: MatchedPrediction[];
  readonly pending: PendingPrediction[];
  readonly outsideCalendar: number;
  /** Validation items written (new or changed outcomes). */
  readonly written: number;
  /** Milliseconds spent in the three queries, in matching and spans, and in the validation writes. */
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
  return withSpan(SpanName.VALIDATION_BATCH, { [Attr.SYMBOL]: symbol }, async (span) => {
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
    const { changed, fresh } = outcomesToStore(outcomes, validated);
    // A span per prediction validated for the first time: overlapping scheduled windows see it again, uncounted.
    emitPredictionSpans(fresh);
    span.setAttributes({
      [TrackerAttr.BATCH_PREDICTIONS]: predictions.length,
      [TrackerAttr.BATCH_VALIDATED]: matched.length,
      [TrackerAttr.BATCH_FIRST_VALIDATED]: fresh.length,
      [TrackerAttr.BATCH_PENDING]: pending.length,
      [TrackerAttr.BATCH_PRICES]: prices.length,
    });
    const t2 = performance.now();
    span.setAttribute(TrackerAttr.BATCH_WRITTEN, changed.length);
    if (changed.length > 0) await writeValidations(deps.store, changed, deps.now());
    const timings = { queryMs: t1 - t0, matchMs: t2 - t1, writeMs: performance.now() - t2 };
    return { matched, pending, outsideCalendar, written: changed.length, timings };
  });
}

/**
 * Validates every prediction whose target time lies in [now − lookback, now], stores the summary (bounded:
 * summary-limits.ts), emits its metrics (bounded: summary-metrics.ts) and one log line per alerting group.
 */
export const validateAll = inPartition(
  async (deps: TrackerDeps, input: ValidateAllInput): Promise<ValidateAllResult> => {
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

    const { full, alerts, summary } = await withSpan(SpanName.ACCURACY_SUMMARY, {}, async (span) => {
      const whole = summarize(matched, pending, {
        window,
        minSampleForAlert: deps.config.minSampleForAlert,
        alertThreshold: deps.config.accuracyAlertThreshold,
      });
      const calibration = calibrationAlerts(whole, {
        eceThreshold: deps.config.calibrationAlertEce,
        minSampleForAlert: deps.config.minSampleForCalibrationAlert,
      });
      const groupAlerts: GroupAlerts = { accuracy: whole.alerts, calibration };
      const limited = limitSummary(whole, calibration, alertingCounts(groupAlerts));
      span.setAttributes(summaryAttributes(limited));
      const computedAt = await summaryTime(deps.store, deps.requestId, now.toISOString());
      await putSummary(
        deps.store,
        deps.requestId,
        computedAt,
        storableSummary(limited),
        deps.config.summaryTtlDays,
      );
      return { full: whole, alerts: groupAlerts, summary: limited };
    });
    // From the whole summary: every alerting group counts, whatever the answer kept.
    const points = summaryMetrics(
      full,
      alerts,
      metricSelection(deps.config, isAlarmRun(input) ? undefined : { [MetricDimension.RUN]: RunKind.AD_HOC }),
    );
    emitMetrics(points);
    const alertLines = logGroupAlerts(
      alerts,
      isAlarmRun(input) ? GroupAlertRun.ALARM : GroupAlertRun.AD_HOC,
      (message, fields) => logger.warn(message, fields),
    );
    logger.info(VALIDATE_ALL_FINISHED, {
      symbols: symbols.length,
      validated: summary.overall.n,
      pending: summary.overall.pending,
      validationsWritten: batches.reduce((total, batch) => total + batch.written, 0),
      alerts: full.alerts.length,
      calibrationAlerts: alerts.calibration.length,
      ...summary.alertingGroups,
      alertLines,
      metricPoints: points.length,
      alarmRun: isAlarmRun(input),
      groupsLeftOut: (summary.shortened?.bySymbol?.groups ?? 0) + (summary.shortened?.byModel?.groups ?? 0),
      lookbackDays: window.lookbackDays,
      durationMs: Math.round(performance.now() - started),
      batchesMs: Math.round(batchesDone - started),
      // Summed over symbols (they run concurrently, so these add up to more than batchesMs).
      queryMs: Math.round(batches.reduce((total, batch) => total + batch.timings.queryMs, 0)),
      matchMs: Math.round(batches.reduce((total, batch) => total + batch.timings.matchMs, 0)),
      writeMs: Math.round(batches.reduce((total, batch) => total + batch.timings.writeMs, 0)),
    });
    return { headline: headline(summary, deps.store.namespace), summaryId: deps.requestId, summary };
  },
);

/** The latest summaries, newest first, as many as fit one answer (`leftOut` says how many did not). */
export const reportSummaries = inPartition(
  async (deps: TrackerDeps, input: ReportInput): Promise<{ summaries: StoredSummary[]; leftOut: number }> => {
    const items = await latestSummaries(deps.store, input.limit);
    return boundedReport(
      items.map((item) => {
        const summary = item.summary as TrackerSummary;
        return {
          summaryId: String(item.summaryId),
          computedAt: String(item.computedAt),
          headline: headline(summary, deps.store.namespace),
          summary,
        };
      }),
    );
  },
);

export type TrackerResult =
  | Success<RecordResult>
  | Success<ValidateAllResult>
  | Success<{ count: number; summaries: StoredSummary[]; leftOut?: number }>
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
      const { summaries, leftOut } = await reportSummaries(deps, payload);
      return ok({ count: summaries.length, summaries, ...(leftOut > 0 ? { leftOut } : {}) });
    }
  }
}

/** Validates the payload (bad input → ok:false, nothing written) and runs the action. */
export async function handleTrackerEvent(deps: TrackerDeps, event: unknown): Promise<TrackerResult> {
  const parsed = parsePayload(trackerPayloadSchema, event, TRACKER_ACTIONS);
  if (!parsed.ok) return parsed;
  return runTrackerAction(deps, parsed.value);
}
