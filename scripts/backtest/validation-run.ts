/**
 * One scheduled validate_all of the replay, as the tracker does it: `summarize` over the window, the calibration
 * alerts, the bounded summary the tracker answers and stores, and the metrics it emits (its own
 * `summaryMetrics`: overall figures, per-kind alerting counts, watched groups capped). Also measured per run: how
 * many metric series and datapoints it emits and how large its stored summary is — the cost that must stay
 * bounded whatever the number of models.
 */
import { limitSummary } from '../../lambdas/dual-accuracy-tracker/summary-limits';
import {
  alertingCounts,
  type MetricPoint,
  type MetricSelection,
  summaryMetrics,
} from '../../lambdas/dual-accuracy-tracker/summary-metrics';
import { storableSummary } from '../../lambdas/dual-accuracy-tracker/summary-store';
import { calibrationAlerts, type MatchedPrediction, summarize } from '../../lambdas/shared/accuracy';
import { WatchlistDefaults } from '../../lambdas/shared/config';
import type { AlertParams } from '../../lib/alerting/rules';

export interface ValidationRun {
  readonly points: readonly MetricPoint[];
  /** Distinct dimension sets × names the run emitted (CloudWatch bills per metric series). */
  readonly series: number;
  /** JSON characters of the summary as stored. */
  readonly storedChars: number;
  /** Distinct model ids in the window. */
  readonly models: number;
  /** The groups an alert rule held for ("accuracy model xgb-v2 n=180 ub=0.57"), as the tracker logs them. */
  readonly alerting: readonly string[];
}

export function metricSelection(params: AlertParams): MetricSelection {
  return {
    symbolWatchlist: params.watchlist,
    modelWatchlist: params.modelWatchlist,
    dimensionCap: WatchlistDefaults.DIMENSION_CAP,
  };
}

export function validationRun(
  window: readonly MatchedPrediction[],
  range: { readonly start: string; readonly end: string; readonly lookbackDays: number },
  params: AlertParams,
): ValidationRun {
  const summary = summarize(window, [], {
    window: range,
    minSampleForAlert: params.accuracyMinSamples,
    alertThreshold: params.accuracyThresholdPct / 100,
  });
  const calibration = calibrationAlerts(summary, {
    eceThreshold: params.eceThreshold,
    minSampleForAlert: params.eceMinSamples,
  });
  const alerts = { accuracy: summary.alerts, calibration };
  const stored = storableSummary(
    limitSummary(
      { ...summary, window: { from: range.start, to: range.end, lookbackDays: range.lookbackDays } },
      calibration,
      alertingCounts(alerts),
    ),
  );
  const points = summaryMetrics(summary, alerts, metricSelection(params));
  const series = new Set(points.map((p) => `${p.name}|${JSON.stringify(p.dimensions)}`)).size;
  return {
    points,
    series,
    storedChars: JSON.stringify(stored).length,
    models: Object.keys(summary.byModel).length,
    alerting: [
      ...summary.alerts.map((a) => `accuracy ${a.scope} ${a.key} n=${a.n} ub=${a.hitRateCi[1].toFixed(3)}`),
      ...calibration.map((a) => `calibration ${a.scope} ${a.key} n=${a.n} ece=${a.ece.toFixed(3)}`),
    ],
  };
}
