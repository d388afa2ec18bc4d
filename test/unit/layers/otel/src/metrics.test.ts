import { EMF_LIMITS, Metrics, MetricUnit } from '../../../../../layers/otel/src/metrics';
import { MemorySink } from '../../../../../layers/otel/src/sink';
import { assertValidEmf } from '../../../../support/emf';

function recorder(sink = new MemorySink(), warnings: string[] = []) {
  return {
    sink,
    warnings,
    metrics: new Metrics({
      namespace: 'TradingObservability',
      defaultDimensions: { Service: 'stock_analytics' },
      sink,
      enabled: true,
      now: () => 1_764_076_800_000,
      warn: (message) => warnings.push(message),
    }),
  };
}

describe('EMF metrics', () => {
  it('writes one valid EMF document per dimension set, with values of the same metric as an array', () => {
    const { sink, metrics } = recorder();
    metrics.add('DirectionalAccuracy', MetricUnit.PERCENT, 71.5);
    metrics.add('DirectionalAccuracy', MetricUnit.PERCENT, 64, { Model: 'lstm-v3' });
    metrics.add('PriceErrorPct', MetricUnit.PERCENT, 1.25, { Model: 'lstm-v3' });
    metrics.add('PriceErrorPct', MetricUnit.PERCENT, 2.5, { Model: 'lstm-v3' });
    metrics.flush();

    const documents = sink.json();
    expect(documents).toHaveLength(2);
    for (const document of documents) assertValidEmf(document);
    const byModel = documents.find((document) => document.Model === 'lstm-v3');
    expect(byModel).toMatchObject({
      _aws: {
        Timestamp: 1_764_076_800_000,
        CloudWatchMetrics: [
          {
            Namespace: 'TradingObservability',
            Dimensions: [['Service', 'Model']],
            Metrics: [
              { Name: 'DirectionalAccuracy', Unit: 'Percent' },
              { Name: 'PriceErrorPct', Unit: 'Percent' },
            ],
          },
        ],
      },
      Service: 'stock_analytics',
      DirectionalAccuracy: 64,
      PriceErrorPct: [1.25, 2.5],
    });
    expect(metrics.size).toBe(0);
  });

  it('splits documents at 100 metrics and value arrays at 100 values', () => {
    const { sink, metrics } = recorder();
    for (let i = 0; i < 150; i++) metrics.add(`Metric${i}`, MetricUnit.COUNT, i);
    for (let i = 0; i < 250; i++) metrics.add('Many', MetricUnit.COUNT, i);
    metrics.flush();
    const documents = sink.json();
    for (const document of documents) assertValidEmf(document);
    const total = documents.reduce((sum, document) => {
      const values = document.Many;
      return sum + (Array.isArray(values) ? values.length : values === undefined ? 0 : 1);
    }, 0);
    expect(total).toBe(250);
    const definitions = documents.flatMap(
      (document) =>
        (document._aws as { CloudWatchMetrics: Array<{ Metrics: unknown[] }> }).CloudWatchMetrics[0]
          ?.Metrics ?? [],
    );
    expect(definitions.length).toBe(150 + 3);
  });

  it('drops non-finite values and too many dimensions with a warning instead of throwing', () => {
    const { sink, metrics, warnings } = recorder();
    metrics.add('Bad', MetricUnit.COUNT, Number.NaN);
    metrics.add('Bad', MetricUnit.COUNT, Number.POSITIVE_INFINITY);
    const dimensions = Object.fromEntries(
      Array.from({ length: EMF_LIMITS.DIMENSIONS_PER_SET + 1 }, (_, i) => [`D${i}`, 'x']),
    );
    metrics.add('TooWide', MetricUnit.COUNT, 1, dimensions);
    metrics.flush();
    expect(sink.lines).toHaveLength(0);
    expect(warnings).toHaveLength(3);
  });
});

describe('EMF dimension values are scrubbed like span attributes', () => {
  it('masks PII sent as a dimension value (a card number as a model id), keeps ordinary values', () => {
    const { sink, metrics } = recorder();
    metrics.add('DirectionalAccuracy', MetricUnit.PERCENT, 50, { Model: '4111111111111111' });
    metrics.add('DirectionalAccuracy', MetricUnit.PERCENT, 60, { Model: 'lstm_07700900123' });
    metrics.add('DirectionalAccuracy', MetricUnit.PERCENT, 70, { Model: 'lstm-v3', Symbol: 'BRK.B' });
    metrics.flush();
    const text = sink.lines.join('\n');
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('07700900123');
    const documents = sink.json();
    for (const document of documents) assertValidEmf(document);
    expect(documents.map((document) => document.Model)).toEqual(['[REDACTED]', 'lstm_[REDACTED]', 'lstm-v3']);
    expect(documents[2]).toMatchObject({ Symbol: 'BRK.B', DirectionalAccuracy: 70 });
  });

  it('leaves values alone when scrubbing is switched off (the feature flag)', () => {
    const sink = new MemorySink();
    const metrics = new Metrics({
      namespace: 'TradingObservability',
      defaultDimensions: {},
      sink,
      enabled: true,
      scrub: false,
    });
    metrics.add('DirectionalAccuracy', MetricUnit.PERCENT, 50, { Model: '4111111111111111' });
    metrics.flush();
    expect(sink.json()[0]?.Model).toBe('4111111111111111');
  });
});
