import { getTelemetry, initTelemetry, MemorySink } from '@trading-observability/otel';
import { emitPredictionSpans } from '../../../../lambdas/dual-accuracy-tracker/telemetry';
import { predictionOutcome } from '../../../../lambdas/shared/accuracy/match';
import { SpanName } from '../../../../lambdas/shared/names/spans';
import { matchedSet } from '../../../support/matched-predictions';

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
