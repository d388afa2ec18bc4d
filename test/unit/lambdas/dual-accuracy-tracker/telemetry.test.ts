import { getTelemetry, initTelemetry, MemorySink } from '@trading-observability/otel';
import { emitPredictionSpans } from '../../../../lambdas/dual-accuracy-tracker/telemetry';
import type { MatchedPrediction } from '../../../../lambdas/shared/accuracy';
import { predictionOutcome } from '../../../../lambdas/shared/accuracy/match';
import { SpanName } from '../../../../lambdas/shared/names/spans';

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

describe('per-prediction spans', () => {
  it('carry the dashboards’ attributes and no PII, and 10 000 of them stay cheap', async () => {
    const spanSink = new MemorySink();
    initTelemetry({
      spanSink,
      metricsSink: new MemorySink(),
      logSink: new MemorySink(),
      config: { tracesSampler: 'always_on' },
    });
    const outcomes = matchedSet(10_000).map(predictionOutcome);
    const started = performance.now();
    await getTelemetry().withSpan(SpanName.VALIDATION_BATCH, {}, () => emitPredictionSpans(outcomes));
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
    const predictionSpans = spans.filter((s) => s.name === SpanName.VALIDATE_PREDICTION);
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
    const batch = spans.find((s) => s.name === SpanName.VALIDATION_BATCH) as { spanId?: string } | undefined;
    expect(first?.parentSpanId).toBe(batch?.spanId);
  });
});
