import { getTelemetry, initTelemetry, MemorySink } from '@trading-observability/otel';
import {
  alertingCounts,
  type GroupAlerts,
  type MetricSelection,
  marketDataLagMetrics,
  summaryMetrics,
  watchedKeys,
} from '../../../../lambdas/dual-accuracy-tracker/summary-metrics';
import { emitMetrics } from '../../../../lambdas/dual-accuracy-tracker/telemetry';
import { calibrationAlerts, summarize } from '../../../../lambdas/shared/accuracy';
import { MetricDimension, ProductMetric } from '../../../../lambdas/shared/names/metrics';
import { checkEmfDocument } from '../../../support/emf-rules';
import { matchedSet, TEST_MODELS, TEST_SYMBOLS } from '../../../support/matched-predictions';

const SYMBOLS = [...TEST_SYMBOLS];
const MODELS = [...TEST_MODELS];

const window = { from: '2026-11-17T15:00:00.000Z', to: '2026-11-24T16:00:00.000Z', lookbackDays: 7 };
const NONE: MetricSelection = { symbolWatchlist: [], modelWatchlist: [], dimensionCap: 20 };

function alertsOf(summary: ReturnType<typeof summarize>): GroupAlerts {
  return { accuracy: summary.alerts, calibration: calibrationAlerts(summary) };
}

describe('summaryMetrics', () => {
  const summary = summarize(matchedSet(600), [], { window, minSampleForAlert: 30, alertThreshold: 0.6 });
  const alerts = alertsOf(summary);
  const value = (
    points: ReturnType<typeof summaryMetrics>,
    name: string,
    dims: Record<string, string> = {},
  ) => points.find((p) => p.name === name && JSON.stringify(p.dimensions) === JSON.stringify(dims))?.value;

  it('emits overall figures and per-kind counts without dimensions, and groups only for watched values', () => {
    const points = summaryMetrics(summary, alerts, {
      symbolWatchlist: ['AAPL', 'MSFT', 'ZZZZ'],
      modelWatchlist: ['xgb-v1', 'not-in-window'],
      dimensionCap: 20,
    });
    const dimensionSets = new Set(points.map((p) => JSON.stringify(p.dimensions)));
    expect([...dimensionSets].sort()).toEqual(
      [
        '{}',
        JSON.stringify({ [MetricDimension.MODEL]: 'xgb-v1' }),
        JSON.stringify({ [MetricDimension.SYMBOL]: 'AAPL' }),
        JSON.stringify({ [MetricDimension.SYMBOL]: 'MSFT' }),
      ].sort(),
    );
    // Nothing of a model that is not watched, whatever its alert state.
    expect(summaryMetrics(summary, alerts, NONE).every((p) => Object.keys(p.dimensions).length === 0)).toBe(
      true,
    );
  });

  it('counts the models and symbols each rule holds for, whether watched or not', () => {
    // xgb-v1 hits 25 %: significantly below 60 % on n = 200 → the accuracy alert holds for it and only it.
    expect(summary.alerts.filter((a) => a.scope === 'model').map((a) => a.key)).toEqual(['xgb-v1']);
    const points = summaryMetrics(summary, alerts, NONE);
    expect(value(points, ProductMetric.ACCURACY_ALERTING_MODELS)).toBe(1);
    const symbolsAlerting = summary.alerts.filter((a) => a.scope === 'symbol').length;
    expect(value(points, ProductMetric.ACCURACY_ALERTING_SYMBOLS)).toBe(symbolsAlerting);
    expect(value(points, ProductMetric.CALIBRATION_ALERTING_MODELS)).toBe(
      alerts.calibration.filter((a) => a.scope === 'model').length,
    );
    expect(value(points, ProductMetric.CALIBRATION_ALERTING_SYMBOLS)).toBe(
      alerts.calibration.filter((a) => a.scope === 'symbol').length,
    );
    expect(alertingCounts(alerts).accuracyModels).toBe(1);
  });

  it('carries the summary figures (percentages × 100) and the gated alert as 0/1', () => {
    const points = summaryMetrics(summary, alerts, { ...NONE, modelWatchlist: MODELS });
    expect(value(points, ProductMetric.DIRECTIONAL_ACCURACY)).toBeCloseTo(
      (summary.overall.hitRate as number) * 100,
      12,
    );
    expect(value(points, ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND)).toBeCloseTo(
      (summary.overall.hitRateCi?.[1] as number) * 100,
      12,
    );
    expect(value(points, ProductMetric.VALIDATED_PREDICTIONS)).toBe(600);
    expect(value(points, ProductMetric.PENDING_PREDICTIONS)).toBe(0);
    expect(value(points, ProductMetric.EXPECTED_CALIBRATION_ERROR)).toBe(summary.overall.ece);
    expect(value(points, ProductMetric.PRICE_ERROR_PCT)).toBe(summary.overall.meanPriceErrorPct);
    expect(value(points, ProductMetric.ACCURACY_ALERT, { Model: 'xgb-v1' })).toBe(1);
    expect(value(points, ProductMetric.ACCURACY_ALERT, { Model: 'lstm-v3' })).toBe(0);
  });

  it('caps the distinct values of each dimension per call, in watchlist order', () => {
    const many = Array.from({ length: 40 }, (_, i) => `m-${String(i).padStart(2, '0')}`);
    const wide = summarize(matchedSet(400, many), [], { window });
    const points = summaryMetrics(wide, alertsOf(wide), {
      symbolWatchlist: SYMBOLS,
      modelWatchlist: [...many].reverse(),
      dimensionCap: 3,
    });
    const values = (dimension: string) =>
      [...new Set(points.map((p) => p.dimensions[dimension]).filter(Boolean))].sort();
    expect(values(MetricDimension.MODEL)).toEqual(['m-37', 'm-38', 'm-39']);
    expect(values(MetricDimension.SYMBOL)).toEqual(['AAPL', 'IBM', 'MSFT']);
    expect(watchedKeys(wide.byModel, ['m-01', 'm-01', 'nope', 'm-02'], 5)).toEqual(['m-01', 'm-02']);
  });

  it('keeps a failing watched model past the cap: alerting groups take the capped places first', () => {
    const healthy = ['h-1', 'h-2', 'h-3', 'h-4', 'h-5'];
    const summary = summarize(matchedSet(600, [...healthy, 'xgb-v1']), [], { window });
    // Independent of the code under test: xgb-v1 hits 1 in 4 of its 100 predictions, far under 60 %.
    expect(summary.byModel['xgb-v1']?.n).toBe(100);
    const points = summaryMetrics(summary, alertsOf(summary), {
      ...NONE,
      modelWatchlist: [...healthy, 'xgb-v1'],
      dimensionCap: 2,
    });
    const models = [...new Set(points.map((p) => p.dimensions[MetricDimension.MODEL]).filter(Boolean))];
    expect(models.sort()).toEqual(['h-1', 'xgb-v1']);
    expect(value(points, ProductMetric.ACCURACY_ALERT, { Model: 'xgb-v1' })).toBe(1);
    // Without alerts the same call keeps the watchlist order.
    expect(watchedKeys(summary.byModel, [...healthy, 'xgb-v1'], 2)).toEqual(['h-1', 'h-2']);
    expect(watchedKeys(summary.byModel, [...healthy, 'xgb-v1'], 2, new Set(['xgb-v1', 'gone']))).toEqual([
      'xgb-v1',
      'h-1',
    ]);
  });

  it('sends no value for an undefined figure (no NaN, no fake zero)', () => {
    const empty = summarize([], [{ symbol: 'AAPL', model: 'm', targetTime: window.to, session: 'regular' }], {
      window,
    });
    const points = summaryMetrics(empty, alertsOf(empty), { ...NONE, symbolWatchlist: ['AAPL'] });
    expect(points.every((p) => Number.isFinite(p.value))).toBe(true);
    const overallNames = points.filter((p) => Object.keys(p.dimensions).length === 0).map((p) => p.name);
    expect(overallNames.sort()).toEqual(
      [
        ProductMetric.ACCURACY_ALERT,
        ProductMetric.VALIDATED_PREDICTIONS,
        ProductMetric.PENDING_PREDICTIONS,
        ProductMetric.ACCURACY_ALERTING_MODELS,
        ProductMetric.ACCURACY_ALERTING_SYMBOLS,
        ProductMetric.CALIBRATION_ALERTING_MODELS,
        ProductMetric.CALIBRATION_ALERTING_SYMBOLS,
      ].sort(),
    );
  });
});

describe('marketDataLagMetrics', () => {
  it('reports the age of the newest price per watch-listed symbol, never negative, capped', () => {
    const now = new Date('2026-11-24T15:00:00.000Z');
    const prices = [
      { symbol: 'AAPL', timestamp: '2026-11-24T14:50:00.000Z' },
      { symbol: 'AAPL', timestamp: '2026-11-24T14:58:00.000Z' },
      { symbol: 'IBM', timestamp: '2026-11-24T15:05:00.000Z' },
      { symbol: 'TSLA', timestamp: '2026-11-24T10:00:00.000Z' },
    ];
    expect(
      marketDataLagMetrics(prices, { symbolWatchlist: ['AAPL', 'IBM', 'MSFT'], dimensionCap: 20 }, now),
    ).toEqual([
      { name: 'MarketDataLagSeconds', unit: 'Seconds', value: 120, dimensions: { Symbol: 'AAPL' } },
      { name: 'MarketDataLagSeconds', unit: 'Seconds', value: 0, dimensions: { Symbol: 'IBM' } },
    ]);
    expect(
      marketDataLagMetrics(prices, { symbolWatchlist: ['IBM', 'AAPL'], dimensionCap: 1 }, now).map(
        (p) => p.dimensions.Symbol,
      ),
    ).toEqual(['IBM']);
  });
});

describe('EMF output of the tracker', () => {
  it('is valid CloudWatch EMF', () => {
    const metricsSink = new MemorySink();
    initTelemetry({ metricsSink, spanSink: new MemorySink(), logSink: new MemorySink() });
    const summary = summarize(matchedSet(600), [], { window });
    const points = [
      ...summaryMetrics(summary, alertsOf(summary), {
        symbolWatchlist: SYMBOLS,
        modelWatchlist: MODELS,
        dimensionCap: 20,
      }),
      ...marketDataLagMetrics(
        [{ symbol: 'AAPL', timestamp: '2026-11-24T14:59:00.000Z' }],
        { symbolWatchlist: SYMBOLS, dimensionCap: 20 },
        new Date(),
      ),
    ];
    emitMetrics(points);
    getTelemetry().metrics.flush();
    // The sink holds JSON text lines, exactly as CloudWatch Logs would receive them.
    const documents = metricsSink.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents.length).toBeGreaterThan(0);
    for (const document of documents) checkEmfDocument(document);
    const names = documents.flatMap((d) =>
      (
        d._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }
      ).CloudWatchMetrics.flatMap((c) => c.Metrics.map((m) => m.Name)),
    );
    expect(names.length).toBe(points.length);
    type Directive = { Namespace: string; Dimensions: string[][] };
    const directiveOf = (d: Record<string, unknown>) =>
      (d._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics[0] as Directive;
    const overall = documents.find((d) => JSON.stringify(directiveOf(d).Dimensions) === '[["Service"]]');
    expect(overall && directiveOf(overall).Namespace).toBe('TradingObservability');
    expect(overall?.[ProductMetric.VALIDATED_PREDICTIONS]).toBe(600);
    expect(overall?.[ProductMetric.ACCURACY_ALERTING_MODELS]).toBe(1);
  });
});
