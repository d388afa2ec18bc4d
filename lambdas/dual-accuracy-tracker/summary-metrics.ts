/**
 * The CloudWatch metrics of a validate_all summary, with a cost that does not grow with what callers send:
 * - overall figures (`[Service]`), which the accuracy and calibration alarms read;
 * - per kind, how many groups an alert rule holds for (`AccuracyAlertingModels`, …, `[Service]`): any model or
 *   symbol, watched or not, pages through these four metrics;
 * - per-group figures only for watch-listed models and symbols (operator configuration, never caller input),
 *   at most `dimensionCap` distinct values per dimension per call.
 * Pure: tests check the selection without a sink.
 */
import { MetricUnit } from '@trading-observability/otel';
import type { AccuracyAlert, AccuracyGroup, AccuracySummary, CalibrationAlert } from '../shared/accuracy';
import { AlertScope } from '../shared/accuracy';
import { MetricDimension, ProductMetric } from '../shared/names/metrics';

export interface MetricPoint {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Which groups get their own dimension values. */
export interface MetricSelection {
  readonly symbolWatchlist: readonly string[];
  readonly modelWatchlist: readonly string[];
  /** Distinct values of one dimension per metric per call. */
  readonly dimensionCap: number;
  /** Added to every point (e.g. `Run: ad-hoc` for a run that is not the alarms'). @default none */
  readonly extraDimensions?: Readonly<Record<string, string>>;
}

/** The groups each alert rule holds for (the full lists, before the summary is shortened). */
export interface GroupAlerts {
  readonly accuracy: readonly AccuracyAlert[];
  readonly calibration: readonly CalibrationAlert[];
}

/** How many models and symbols each rule holds for. */
export interface AlertingCounts {
  readonly accuracyModels: number;
  readonly accuracySymbols: number;
  readonly calibrationModels: number;
  readonly calibrationSymbols: number;
}

export function alertingCounts(alerts: GroupAlerts): AlertingCounts {
  const count = (list: ReadonlyArray<{ scope: AlertScope }>, scope: AlertScope) =>
    list.filter((alert) => alert.scope === scope).length;
  return {
    accuracyModels: count(alerts.accuracy, AlertScope.Model),
    accuracySymbols: count(alerts.accuracy, AlertScope.Symbol),
    calibrationModels: count(alerts.calibration, AlertScope.Model),
    calibrationSymbols: count(alerts.calibration, AlertScope.Symbol),
  };
}

/**
 * Watched keys present in the groups, at most `cap`: those an alert rule holds for first (so a failing watched
 * group keeps its own figures when the watchlist is longer than the cap), then the rest, each in watchlist order.
 */
export function watchedKeys(
  groups: Readonly<Record<string, AccuracyGroup>>,
  watchlist: readonly string[],
  cap: number,
  alerting: ReadonlySet<string> = new Set(),
): string[] {
  const present = [...new Set(watchlist)].filter((key) => Object.hasOwn(groups, key));
  const first = present.filter((key) => alerting.has(key));
  const rest = present.filter((key) => !alerting.has(key));
  return [...first, ...rest].slice(0, cap);
}

/** Keys of one scope that any alert rule (accuracy or calibration) holds for. */
function alertingKeys(alerts: GroupAlerts, scope: AlertScope): Set<string> {
  return new Set(
    [...alerts.accuracy, ...alerts.calibration]
      .filter((alert) => alert.scope === scope)
      .map((alert) => alert.key),
  );
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

/** The metrics of a summary (see the module comment); `alerts` are the full lists, before any shortening. */
export function summaryMetrics(
  summary: Pick<AccuracySummary<unknown>, 'overall' | 'bySymbol' | 'byModel'>,
  alerts: GroupAlerts,
  selection: MetricSelection,
): MetricPoint[] {
  const alerted = new Set(alerts.accuracy.map((alert) => `${alert.scope}\u0000${alert.key}`));
  const extra = selection.extraDimensions ?? {};
  const points = groupMetrics(summary.overall, alerted.has(`${AlertScope.Overall}\u0000overall`), extra);
  const counts = alertingCounts(alerts);
  for (const [name, value] of [
    [ProductMetric.ACCURACY_ALERTING_MODELS, counts.accuracyModels],
    [ProductMetric.ACCURACY_ALERTING_SYMBOLS, counts.accuracySymbols],
    [ProductMetric.CALIBRATION_ALERTING_MODELS, counts.calibrationModels],
    [ProductMetric.CALIBRATION_ALERTING_SYMBOLS, counts.calibrationSymbols],
  ] as const) {
    points.push({ name, unit: MetricUnit.COUNT, value, dimensions: extra });
  }
  for (const model of watchedKeys(
    summary.byModel,
    selection.modelWatchlist,
    selection.dimensionCap,
    alertingKeys(alerts, AlertScope.Model),
  )) {
    const group = summary.byModel[model] as AccuracyGroup;
    points.push(
      ...groupMetrics(group, alerted.has(`${AlertScope.Model}\u0000${model}`), {
        ...extra,
        [MetricDimension.MODEL]: model,
      }),
    );
  }
  for (const symbol of watchedKeys(
    summary.bySymbol,
    selection.symbolWatchlist,
    selection.dimensionCap,
    alertingKeys(alerts, AlertScope.Symbol),
  )) {
    const group = summary.bySymbol[symbol] as AccuracyGroup;
    points.push(
      ...groupMetrics(group, alerted.has(`${AlertScope.Symbol}\u0000${symbol}`), {
        ...extra,
        [MetricDimension.SYMBOL]: symbol,
      }),
    );
  }
  return points;
}

/**
 * Market-data lag of a record_prices batch for watch-listed symbols (at most `dimensionCap`, in watchlist
 * order): how old the newest recorded price is (0 for prices stamped in the future). The stale-market-data
 * alarm reads its Minimum per Symbol.
 */
export function marketDataLagMetrics(
  prices: ReadonlyArray<{ readonly symbol: string; readonly timestamp: string }>,
  selection: Pick<MetricSelection, 'symbolWatchlist' | 'dimensionCap'>,
  now: Date,
): MetricPoint[] {
  const watched = new Set(selection.symbolWatchlist);
  const newest = new Map<string, number>();
  for (const p of prices) {
    if (!watched.has(p.symbol)) continue;
    const t = Date.parse(p.timestamp);
    if (Number.isFinite(t) && t > (newest.get(p.symbol) ?? Number.NEGATIVE_INFINITY)) newest.set(p.symbol, t);
  }
  const order = [...watched].filter((symbol) => newest.has(symbol)).slice(0, selection.dimensionCap);
  return order.sort().map((symbol) => ({
    name: ProductMetric.MARKET_DATA_LAG_SECONDS,
    unit: MetricUnit.SECONDS,
    value: Math.max(0, (now.getTime() - (newest.get(symbol) as number)) / 1000),
    dimensions: { [MetricDimension.SYMBOL]: symbol },
  }));
}
