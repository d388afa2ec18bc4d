import { getTelemetry, initTelemetry, MemorySink } from '@trading-observability/otel';
import {
  emitMetrics,
  emitPredictionSpans,
  emitSummaryMetrics,
  marketDataLagMetrics,
  summaryMetrics,
  TrackerSpan,
} from '../../../lambdas/dual-accuracy-tracker/telemetry';
import { type MatchedPrediction, summarize } from '../../../lambdas/shared/accuracy';
import { predictionOutcome } from '../../../lambdas/shared/accuracy/match';
import { MetricDimension, ProductMetric } from '../../../lambdas/shared/names/metrics';
import { checkEmfDocument } from './emf-rules';

const SYMBOLS = ['AAPL', 'MSFT', 'IBM', 'AMZN', 'GOOG', 'TSLA', 'NVDA'];
const MODELS = ['lstm-v3', 'xgb-v1', 'prophet-v2'];

/** Deterministic matched predictions: `hitEvery` controls the hit rate per model. */
function matchedSet(n: number): MatchedPrediction[] {
  return Array.from({ length: n }, (_, i) => {
    const model = MODELS[i % MODELS.length] as string;
    // xgb-v1 is mostly wrong (hits 1 in 4), the others mostly right.
    const hit = model === 'xgb-v1' ? i % 4 === 0 : i % 5 !== 0;
    return {
      symbol: SYMBOLS[i % SYMBOLS.length] as string,
      model,
      predictedAt: '2026-11-24T14:00:00.000Z',
      targetTime: '2026-11-24T15:00:00.000Z',
      basePrice: 100,
      predictedPrice: 101 + (i % 3),
      confidence: ((i * 37) % 100) / 100,
      actualPrice: hit ? 100.5 + (i % 7) / 10 : 99.5,
      actualTime: '2026-11-24T15:01:00.000Z',
      session: 'regular',
    };
  });
}

const window = { from: '2026-11-17T15:00:00.000Z', to: '2026-11-24T16:00:00.000Z', lookbackDays: 7 };

describe('summaryMetrics', () => {
  const summary = summarize(matchedSet(600), [], { window, minSampleForAlert: 30, alertThreshold: 0.6 });

  it('emits overall (no extra dimension), per Model, and per Symbol only for the watch-list', () => {
    const points = summaryMetrics(summary, ['AAPL', 'MSFT', 'ZZZZ']);
    const dimensionSets = new Set(points.map((p) => JSON.stringify(p.dimensions)));
    expect([...dimensionSets].sort()).toEqual(
      [
        '{}',
        ...MODELS.map((m) => JSON.stringify({ [MetricDimension.MODEL]: m })),
        JSON.stringify({ [MetricDimension.SYMBOL]: 'AAPL' }),
        JSON.stringify({ [MetricDimension.SYMBOL]: 'MSFT' }),
      ].sort(),
    );
  });

  it('carries the summary figures (percentages × 100) and the gated alert as 0/1', () => {
    const points = summaryMetrics(summary, []);
    const value = (name: string, dims: Record<string, string> = {}) =>
      points.find((p) => p.name === name && JSON.stringify(p.dimensions) === JSON.stringify(dims))?.value;
    expect(value(ProductMetric.DIRECTIONAL_ACCURACY)).toBeCloseTo(
      (summary.overall.hitRate as number) * 100,
      12,
    );
    expect(value(ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND)).toBeCloseTo(
      (summary.overall.hitRateCi?.[1] as number) * 100,
      12,
    );
    expect(value(ProductMetric.VALIDATED_PREDICTIONS)).toBe(600);
    expect(value(ProductMetric.PENDING_PREDICTIONS)).toBe(0);
    expect(value(ProductMetric.EXPECTED_CALIBRATION_ERROR)).toBe(summary.overall.ece);
    expect(value(ProductMetric.PRICE_ERROR_PCT)).toBe(summary.overall.meanPriceErrorPct);
    // xgb-v1 hits 25 %: significantly below 60 % on n = 200 → the alert fires for it and only it.
    expect(summary.alerts.map((a) => `${a.scope}:${a.key}`)).toContain('model:xgb-v1');
    expect(value(ProductMetric.ACCURACY_ALERT, { Model: 'xgb-v1' })).toBe(1);
    expect(value(ProductMetric.ACCURACY_ALERT, { Model: 'lstm-v3' })).toBe(0);
  });

  it('sends no value for an undefined figure (no NaN, no fake zero)', () => {
    const empty = summarize([], [{ symbol: 'AAPL', model: 'm', targetTime: window.to, session: 'regular' }], {
      window,
    });
    const points = summaryMetrics(empty, ['AAPL']);
    expect(points.every((p) => Number.isFinite(p.value))).toBe(true);
    const overallNames = points.filter((p) => Object.keys(p.dimensions).length === 0).map((p) => p.name);
    expect(overallNames.sort()).toEqual(
      [
        ProductMetric.ACCURACY_ALERT,
        ProductMetric.VALIDATED_PREDICTIONS,
        ProductMetric.PENDING_PREDICTIONS,
      ].sort(),
    );
  });
});

describe('EMF output of the tracker', () => {
  it('is valid CloudWatch EMF', () => {
    const metricsSink = new MemorySink();
    initTelemetry({ metricsSink, spanSink: new MemorySink(), logSink: new MemorySink() });
    const summary = summarize(matchedSet(600), [], { window });
    const lag = marketDataLagMetrics(
      [{ symbol: 'AAPL', timestamp: '2026-11-24T14:59:00.000Z' }],
      SYMBOLS,
      new Date(),
    );
    emitMetrics(lag);
    const emitted = emitSummaryMetrics(summary, SYMBOLS) + lag.length;
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
    expect(names.length).toBe(emitted);
    expect(new Set(names)).toEqual(
      new Set([
        ProductMetric.DIRECTIONAL_ACCURACY,
        ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND,
        ProductMetric.ACCURACY_ALERT,
        ProductMetric.EXPECTED_CALIBRATION_ERROR,
        ProductMetric.PRICE_ERROR_PCT,
        ProductMetric.VALIDATED_PREDICTIONS,
        ProductMetric.PENDING_PREDICTIONS,
        ProductMetric.MARKET_DATA_LAG_SECONDS,
      ]),
    );
    type Directive = { Namespace: string; Dimensions: string[][] };
    const directiveOf = (d: Record<string, unknown>) =>
      (d._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics[0] as Directive;
    const overall = documents.find((d) => JSON.stringify(directiveOf(d).Dimensions) === '[["Service"]]');
    expect(overall && directiveOf(overall).Namespace).toBe('TradingObservability');
    expect(overall?.[ProductMetric.VALIDATED_PREDICTIONS]).toBe(600);
  });
});

describe('per-prediction spans', () => {
  it('carry the dashboards’ attributes and no PII, and 10 000 of them stay cheap', async () => {
    const spanSink = new MemorySink();
    initTelemetry({
      spanSink,
      metricsSink: new MemorySink(),
      logSink: new MemorySink(),
      config: { samplingEnabled: false },
    });
    const outcomes = matchedSet(10_000).map(predictionOutcome);
    const started = performance.now();
    await getTelemetry().withSpan(TrackerSpan.VALIDATION_BATCH, {}, () => emitPredictionSpans(outcomes));
    const createMs = performance.now() - started;
    const report = await getTelemetry().flush();
    // Measured, not asserted (timing belongs to benchmarks): printed for the report.
    process.stdout.write(
      `10 000 ml.validate_prediction spans: created in ${createMs.toFixed(0)} ms, flushed in ${report.durationMs.toFixed(0)} ms\n`,
    );
    expect(report.recorded).toBe(10_001);
    const request = spanSink.json<{
      resourceSpans: Array<{
        scopeSpans: Array<{
          spans: Array<{
            name: string;
            parentSpanId?: string;
            attributes: Array<{ key: string; value: Record<string, unknown> }>;
          }>;
        }>;
      }>;
    }>()[0];
    const spans = request?.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)) ?? [];
    const predictionSpans = spans.filter((s) => s.name === TrackerSpan.VALIDATE_PREDICTION);
    expect(predictionSpans).toHaveLength(10_000);
    const first = predictionSpans[0];
    const keys = first?.attributes.map((a) => a.key) ?? [];
    expect(keys).toEqual(
      expect.arrayContaining([
        'finance.symbol',
        'ml.model',
        'ml.confidence',
        'ml.accuracy.price_error_pct',
        'ml.accuracy.direction_hit',
        'market.session',
        'ml.actual_return_pct',
      ]),
    );
    const hit = first?.attributes.find((a) => a.key === 'ml.accuracy.direction_hit')?.value;
    expect(hit).toEqual({ boolValue: outcomes[0]?.hit });
    const batch = spans.find((s) => s.name === TrackerSpan.VALIDATION_BATCH) as
      | { spanId?: string }
      | undefined;
    expect(first?.parentSpanId).toBe(batch?.spanId);
  });
});

describe('marketDataLagMetrics', () => {
  it('reports the age of the newest price per watch-listed symbol, never negative', () => {
    const now = new Date('2026-11-24T15:00:00.000Z');
    const points = marketDataLagMetrics(
      [
        { symbol: 'AAPL', timestamp: '2026-11-24T14:50:00.000Z' },
        { symbol: 'AAPL', timestamp: '2026-11-24T14:58:00.000Z' },
        { symbol: 'IBM', timestamp: '2026-11-24T15:05:00.000Z' },
        { symbol: 'TSLA', timestamp: '2026-11-24T10:00:00.000Z' },
      ],
      ['AAPL', 'IBM', 'MSFT'],
      now,
    );
    expect(points).toEqual([
      { name: 'MarketDataLagSeconds', unit: 'Seconds', value: 120, dimensions: { Symbol: 'AAPL' } },
      { name: 'MarketDataLagSeconds', unit: 'Seconds', value: 0, dimensions: { Symbol: 'IBM' } },
    ]);
  });
});
