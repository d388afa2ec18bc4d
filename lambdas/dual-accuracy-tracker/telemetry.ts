/**
 * The tracker's telemetry: span names and attributes the dashboards query, and the CloudWatch metrics
 * the accuracy alarm reads. Metric selection is pure (`summaryMetrics`), so tests check it without a sink.
 */
import { Attr, type Attributes, getTelemetry, MetricUnit, metrics } from '@trading-observability/otel';
import type { AccuracyGroup, AccuracySummary, PredictionOutcome } from '../shared/accuracy';
import { MetricDimension, ProductMetric } from '../shared/names/metrics';

export const TrackerSpan = {
  /** One per symbol: the queries, the matching and the writes of that symbol's predictions. */
  VALIDATION_BATCH: 'ml.validation_batch',
  /** One per validated prediction (the sampler decides which are exported). */
  VALIDATE_PREDICTION: 'ml.validate_prediction',
  /** One per validate_all: the overall figures. */
  ACCURACY_SUMMARY: 'ml.accuracy_summary',
} as const;

/** Attributes only this function emits (the shared ones are the layer's `Attr`). */
export const TrackerAttr = {
  BATCH_PREDICTIONS: 'ml.batch.predictions',
  BATCH_VALIDATED: 'ml.batch.validated',
  BATCH_PENDING: 'ml.batch.pending',
  BATCH_PRICES: 'ml.batch.prices',
  BATCH_WRITTEN: 'ml.batch.validations_written',
  HIT_RATE: 'ml.accuracy.hit_rate',
  HIT_RATE_UPPER: 'ml.accuracy.hit_rate_upper',
  ECE: 'ml.accuracy.ece',
  MEAN_PRICE_ERROR_PCT: 'ml.accuracy.mean_price_error_pct',
  VALIDATED: 'ml.accuracy.validated',
  PENDING: 'ml.accuracy.pending',
  ALERTS: 'ml.accuracy.alerts',
  LOOKBACK_DAYS: 'ml.accuracy.lookback_days',
} as const;

export interface MetricPoint {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

function groupMetrics(
  group: AccuracyGroup,
  alert: boolean,
  dimensions: Readonly<Record<string, string>>,
): MetricPoint[] {
  const points: MetricPoint[] = [];
  const push = (name: string, unit: MetricUnit, value: number | null) => {
    // Undefined figures are not sent: a missing data point is honest, a 0 would be a false reading.
    if (value !== null && Number.isFinite(value)) points.push({ name, unit, value, dimensions });
  };
  push(
    ProductMetric.DIRECTIONAL_ACCURACY,
    MetricUnit.PERCENT,
    group.hitRate === null ? null : group.hitRate * 100,
  );
  push(
    ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND,
    MetricUnit.PERCENT,
    group.hitRateCi === null ? null : group.hitRateCi[1] * 100,
  );
  push(ProductMetric.ACCURACY_ALERT, MetricUnit.COUNT, alert ? 1 : 0);
  push(ProductMetric.EXPECTED_CALIBRATION_ERROR, MetricUnit.NONE, group.ece);
  push(ProductMetric.PRICE_ERROR_PCT, MetricUnit.PERCENT, group.meanPriceErrorPct);
  push(ProductMetric.VALIDATED_PREDICTIONS, MetricUnit.COUNT, group.n);
  push(ProductMetric.PENDING_PREDICTIONS, MetricUnit.COUNT, group.pending);
  return points;
}

/**
 * The metrics of a summary, with low-cardinality dimensions: overall (no extra dimension), per Model,
 * and per Symbol only for symbols on the watch-list.
 */
export function summaryMetrics(
  summary: AccuracySummary<unknown>,
  symbolWatchlist: readonly string[],
): MetricPoint[] {
  const alerted = new Set(summary.alerts.map((alert) => `${alert.scope}\u0000${alert.key}`));
  const points = groupMetrics(summary.overall, alerted.has('overall\u0000overall'), {});
  for (const [model, group] of Object.entries(summary.byModel)) {
    points.push(
      ...groupMetrics(group, alerted.has(`model\u0000${model}`), { [MetricDimension.MODEL]: model }),
    );
  }
  for (const symbol of new Set(symbolWatchlist)) {
    const group = summary.bySymbol[symbol];
    if (group) {
      points.push(
        ...groupMetrics(group, alerted.has(`symbol\u0000${symbol}`), { [MetricDimension.SYMBOL]: symbol }),
      );
    }
  }
  return points;
}

export function emitSummaryMetrics(
  summary: AccuracySummary<unknown>,
  symbolWatchlist: readonly string[],
): number {
  const points = summaryMetrics(summary, symbolWatchlist);
  emitMetrics(points);
  return points.length;
}

/**
 * Market-data lag of a record_prices batch for watch-listed symbols: how old the newest recorded price
 * is (0 for prices stamped in the future). The stale-market-data alarm reads its Minimum per Symbol.
 */
export function marketDataLagMetrics(
  prices: ReadonlyArray<{ readonly symbol: string; readonly timestamp: string }>,
  symbolWatchlist: readonly string[],
  now: Date,
): MetricPoint[] {
  const watched = new Set(symbolWatchlist);
  const newest = new Map<string, number>();
  for (const p of prices) {
    if (!watched.has(p.symbol)) continue;
    const t = Date.parse(p.timestamp);
    if (Number.isFinite(t) && t > (newest.get(p.symbol) ?? Number.NEGATIVE_INFINITY)) newest.set(p.symbol, t);
  }
  return [...newest]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([symbol, t]) => ({
      name: ProductMetric.MARKET_DATA_LAG_SECONDS,
      unit: MetricUnit.SECONDS,
      value: Math.max(0, (now.getTime() - t) / 1000),
      dimensions: { [MetricDimension.SYMBOL]: symbol },
    }));
}

export function emitMetrics(points: readonly MetricPoint[]): void {
  for (const point of points) metrics.add(point.name, point.unit, point.value, point.dimensions);
}

export function predictionAttributes(outcome: PredictionOutcome): Attributes {
  const attributes: Attributes = {
    [Attr.SYMBOL]: outcome.symbol,
    [Attr.MODEL]: outcome.model,
    [Attr.CONFIDENCE]: outcome.confidence,
    [Attr.DIRECTION_HIT]: outcome.hit,
    [Attr.MARKET_SESSION]: outcome.session,
  };
  if (outcome.priceErrorPct !== null) attributes[Attr.PRICE_ERROR_PCT] = outcome.priceErrorPct;
  if (outcome.actualReturnPct !== null) attributes[Attr.ACTUAL_RETURN_PCT] = outcome.actualReturnPct;
  if (outcome.predictedReturnPct !== null) {
    attributes[Attr.PREDICTED_RETURN_PCT] = outcome.predictedReturnPct;
  }
  return attributes;
}

/**
 * One short span per validated prediction, children of the active (batch) span. Started and ended
 * synchronously through the tracer: no promise or context switch per span, so 10 000 stay cheap; the
 * sampler decides at start which are recorded, and the layer which are exported.
 */
export function emitPredictionSpans(outcomes: readonly PredictionOutcome[]): void {
  const { tracer } = getTelemetry();
  for (const outcome of outcomes) {
    tracer.startSpan(TrackerSpan.VALIDATE_PREDICTION, { attributes: predictionAttributes(outcome) }).end();
  }
}

export function summaryAttributes(summary: AccuracySummary<{ lookbackDays: number }>): Attributes {
  const { overall } = summary;
  const attributes: Attributes = {
    [TrackerAttr.VALIDATED]: overall.n,
    [TrackerAttr.PENDING]: overall.pending,
    [TrackerAttr.ALERTS]: summary.alerts.length,
    [TrackerAttr.LOOKBACK_DAYS]: summary.window.lookbackDays,
    [Attr.ALERT]: summary.alerts.length > 0,
  };
  if (overall.hitRate !== null) attributes[TrackerAttr.HIT_RATE] = overall.hitRate;
  if (overall.hitRateCi !== null) attributes[TrackerAttr.HIT_RATE_UPPER] = overall.hitRateCi[1];
  if (overall.ece !== null) attributes[TrackerAttr.ECE] = overall.ece;
  if (overall.meanPriceErrorPct !== null)
    attributes[TrackerAttr.MEAN_PRICE_ERROR_PCT] = overall.meanPriceErrorPct;
  return attributes;
}
