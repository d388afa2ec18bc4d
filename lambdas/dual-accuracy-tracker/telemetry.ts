/**
 * The tracker's telemetry: attributes the dashboards query (span names are lambdas/shared/names/spans.ts), and the sink for the metrics that
 * summary-metrics.ts selects.
 */
import { Attr, type Attributes, getTelemetry, metrics } from '@trading-observability/otel';
import type { PredictionOutcome } from '../shared/accuracy';
import { SpanName } from '../shared/names/spans';
import type { MetricPoint } from './summary-metrics';
import type { TrackerSummary } from './types';

/** Attributes only this function emits (the shared ones are the layer's `Attr`). */
export const TrackerAttr = {
  BATCH_PREDICTIONS: 'ml.batch.predictions',
  BATCH_VALIDATED: 'ml.batch.validated',
  /** Of those, validated for the first time (the ones with a span). */
  BATCH_FIRST_VALIDATED: 'ml.batch.first_validated',
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
    tracer.startSpan(SpanName.VALIDATE_PREDICTION, { attributes: predictionAttributes(outcome) }).end();
  }
}

export function summaryAttributes(summary: TrackerSummary): Attributes {
  const { overall } = summary;
  // Every alert of the window, also those of groups a shortened summary left out.
  const alerts = summary.alerts.length + (summary.shortened?.alertsLeftOut ?? 0);
  const attributes: Attributes = {
    [TrackerAttr.VALIDATED]: overall.n,
    [TrackerAttr.PENDING]: overall.pending,
    [TrackerAttr.ALERTS]: alerts,
    [TrackerAttr.LOOKBACK_DAYS]: summary.window.lookbackDays,
    [Attr.ALERT]: alerts > 0,
  };
  if (overall.hitRate !== null) attributes[TrackerAttr.HIT_RATE] = overall.hitRate;
  if (overall.hitRateCi !== null) attributes[TrackerAttr.HIT_RATE_UPPER] = overall.hitRateCi[1];
  if (overall.ece !== null) attributes[TrackerAttr.ECE] = overall.ece;
  if (overall.meanPriceErrorPct !== null)
    attributes[TrackerAttr.MEAN_PRICE_ERROR_PCT] = overall.meanPriceErrorPct;
  return attributes;
}
