import { type Context, ROOT_CONTEXT, type Span, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Attr } from '../../../../../../layers/otel/src/constants';
import { encodeSpan } from '../../../../../../layers/otel/src/otlp-json';
import {
  createBusinessAwareSampler,
  DEFAULT_SAMPLING_CONFIG,
  estimateSpanJsonBytes,
  type SamplingConfig,
  selectForExport,
} from '../../../../../../layers/otel/src/sampling';

const config: SamplingConfig = {
  ...DEFAULT_SAMPLING_CONFIG,
  // Powers of two: exact thresholds, so expectations over a uniform grid of R are exact.
  probabilities: { trading: 0.5, ml_validation: 0.25, market_data: 0.125, invocation: 0.25, noise: 0.0625 },
};

function setup(samplingConfig: SamplingConfig = config) {
  const recorded: ReadableSpan[] = [];
  const processor: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => {
      recorded.push(span);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  let r = 0n;
  let spanCounter = 0;
  const provider = new BasicTracerProvider({
    sampler: createBusinessAwareSampler({ getConfig: () => samplingConfig, enabled: true }),
    idGenerator: {
      generateTraceId: () => `5b8efff798038103${r.toString(16).padStart(16, '0')}`,
      generateSpanId: () => (++spanCounter).toString(16).padStart(16, '0'),
    },
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('test');
  return {
    recorded,
    setR(value: bigint) {
      r = value;
    },
    start(name: string, attributes: Record<string, string | number | boolean> = {}, parent?: Span): Span {
      const parentContext: Context = parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
      return tracer.startSpan(name, { attributes }, parentContext);
    },
    drain(): ReadableSpan[] {
      return recorded.splice(0, recorded.length);
    },
  };
}

/** R as a fraction of 2^56 (the decision keeps the span when R ≥ (1 − p) · 2^56). */
const R = (fraction: number) => BigInt(Math.floor(fraction * 2 ** 40)) << 16n;

/** invocation root → trading (→ market, noise), ml, noise. Returns spans by role. */
function analysisTrace(t: ReturnType<typeof setup>, options: { endScore?: number; errorIn?: 'market' } = {}) {
  const root = t.start('trading-intelligence', { [Attr.ACTION]: 'scheduled_rankings' });
  const trading = t.start('trading.opportunity_analysis', { [Attr.SYMBOL]: 'AAPL' }, root);
  const market = t.start('market.prices.read', { [Attr.SYMBOL]: 'AAPL' }, trading);
  const noise = t.start('health', {}, trading);
  const ml = t.start('ml.validate_prediction', {}, root);
  const noise2 = t.start('scheduled_rankings.skipped', {}, root);
  if (options.errorIn === 'market') {
    market.recordException(new Error('throttled'));
    market.setStatus({ code: SpanStatusCode.ERROR });
  }
  for (const span of [market, noise]) span.end();
  if (options.endScore !== undefined) trading.setAttribute(Attr.OPPORTUNITY_SCORE, options.endScore);
  for (const span of [trading, ml, noise2, root]) span.end();
  return { root, trading, market, noise, ml, noise2 };
}

const idOf = (span: Span | ReadableSpan) => span.spanContext().spanId;

describe('selectForExport', () => {
  it('exports what was sampled, with its final probability and th, and counts every category', () => {
    const t = setup();
    t.setR(R(0.9)); // kept at p ≥ 0.1: the root (0.25) and, parent-based, everything under it
    const spans = analysisTrace(t);
    const decision = selectForExport(t.drain(), config);
    const exported = new Map(decision.exported.map((item) => [item.span.spanContext().spanId, item]));
    expect(exported.size).toBe(6);
    // Noise (0.0625) under sampled parents is sampled with the parent's threshold.
    expect(exported.get(idOf(spans.noise2))?.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.25);
    expect(exported.get(idOf(spans.noise))?.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.5);
    // The root is exported whenever its trading descendant is: at probability 0.5, not its own 0.25.
    expect(exported.get(idOf(spans.root))?.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.5);
    expect(exported.get(idOf(spans.root))?.traceState).toBe('ot=th:8');
    expect(exported.get(idOf(spans.ml))?.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.25);
    expect(exported.get(idOf(spans.ml))?.traceState).toBe('ot=th:c');
    expect(decision.stats.noise).toMatchObject({ started: 2, exported: 2 });
    expect(decision.stats.trading).toMatchObject({ started: 1, exported: 1 });
    expect(decision.stats.invocation).toMatchObject({ started: 1, exported: 1 });
    expect(decision.stats.noise.exportedBytes).toBeGreaterThan(2 * 260);
    expect(decision.stats.market_data.startedBytes).toBeGreaterThan(0);
  });

  it('exports the ancestors of a sampled span, so nothing is orphaned, at their true inclusion probability', () => {
    const t = setup();
    t.setR(R(0.6)); // kept at 0.5, dropped at 0.25
    const spans = analysisTrace(t);
    const recorded = t.drain();
    expect(recorded.find((span) => idOf(span) === idOf(spans.root))?.spanContext().traceFlags).toBe(
      TraceFlags.NONE,
    );
    const decision = selectForExport(recorded, config);
    const ids = decision.exported.map((item) => item.span.spanContext().spanId).sort();
    expect(ids).toEqual([spans.root, spans.trading, spans.market, spans.noise].map(idOf).sort());
    for (const item of decision.exported) {
      expect(item.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.5);
      expect(item.traceState).toBe('ot=th:8');
      expect(item.attributes[Attr.SAMPLING_KEPT_REASON]).toBeUndefined();
    }
  });

  it('exports nothing of an unremarkable trace that nothing sampled', () => {
    const t = setup();
    t.setR(R(0.2));
    analysisTrace(t);
    const decision = selectForExport(t.drain(), config);
    expect(decision.exported).toEqual([]);
    expect(decision.stats.trading.started).toBe(1);
  });

  it('rescues the whole trace of an error at probability 1', () => {
    const t = setup();
    t.setR(R(0.2));
    analysisTrace(t, { errorIn: 'market', endScore: 90 });
    const decision = selectForExport(t.drain(), config);
    expect(decision.exported).toHaveLength(6);
    for (const item of decision.exported) {
      expect(item.attributes[Attr.SAMPLING_PROBABILITY]).toBe(1);
      expect(item.attributes[Attr.SAMPLING_KEPT_REASON]).toBe('error'); // error wins over high value
      expect(item.traceState).toBe('ot=th:0');
    }
  });

  it('rescues on an exception event even when the status was left unset', () => {
    const t = setup();
    t.setR(R(0.2));
    const root = t.start('trading-intelligence', { [Attr.ACTION]: 'rankings' });
    root.recordException(new Error('boom'));
    root.end();
    const [item] = selectForExport(t.drain(), config).exported;
    expect(item?.attributes[Attr.SAMPLING_KEPT_REASON]).toBe('error');
  });

  it('rescues a trace that is high-value by its end attributes', () => {
    const t = setup();
    t.setR(R(0.2));
    analysisTrace(t, { endScore: 70 });
    const decision = selectForExport(t.drain(), config);
    expect(decision.exported).toHaveLength(6);
    expect(
      decision.exported.every((item) => item.attributes[Attr.SAMPLING_KEPT_REASON] === 'high_value'),
    ).toBe(true);
    t.setR(R(0.2));
    analysisTrace(t, { endScore: 69.9 });
    expect(selectForExport(t.drain(), config).exported).toEqual([]);
  });

  it('handles several traces in one buffer independently', () => {
    const t = setup();
    t.setR(R(0.2));
    analysisTrace(t, { errorIn: 'market' });
    t.setR(R(0.21));
    analysisTrace(t);
    const decision = selectForExport(t.drain(), config);
    expect(decision.exported).toHaveLength(6);
    expect(decision.stats.trading).toMatchObject({ started: 2, exported: 1 });
  });

  it('is unbiased: over a uniform grid of R, the mean of Σ 1/p per category equals the true count', () => {
    const t = setup();
    const grid = 256;
    const sums: Record<string, number> = {};
    const truth: Record<string, number> = {};
    for (let i = 0; i < grid; i += 1) {
      t.setR(R((i + 0.5) / grid));
      analysisTrace(t, { endScore: i % 16 === 0 ? 80 : 10 });
      const decision = selectForExport(t.drain(), config);
      for (const item of decision.exported) {
        const category = String(item.attributes[Attr.SAMPLING_CATEGORY]);
        sums[category] = (sums[category] ?? 0) + 1 / (item.attributes[Attr.SAMPLING_PROBABILITY] as number);
      }
      for (const [category, volume] of Object.entries(decision.stats)) {
        truth[category] = (truth[category] ?? 0) + volume.started;
      }
    }
    for (const category of Object.keys(truth)) {
      expect((sums[category] ?? 0) / grid).toBeCloseTo((truth[category] as number) / grid, 10);
    }
    expect(truth).toEqual({
      trading: grid,
      ml_validation: grid,
      market_data: grid,
      invocation: grid,
      noise: 2 * grid,
    });
  });

  it('categorises spans that did not come through the sampler', () => {
    const t = setup();
    t.setR(R(0.99));
    const span = t.start('ml.validate_prediction');
    span.end();
    const [recorded] = t.drain();
    const {
      [Attr.SAMPLING_CATEGORY]: _category,
      [Attr.SAMPLING_PROBABILITY]: _p,
      ...bare
    } = recorded?.attributes ?? {};
    const foreign = {
      ...(recorded as ReadableSpan),
      attributes: bare,
      spanContext: () => recorded?.spanContext(),
    };
    const decision = selectForExport([foreign as ReadableSpan], config);
    expect(decision.stats.ml_validation).toMatchObject({ started: 1, exported: 1 });
    expect(decision.exported[0]?.attributes[Attr.SAMPLING_PROBABILITY]).toBe(1);
  });
});

describe('estimateSpanJsonBytes', () => {
  it('is within 15 % of the real OTLP/JSON size of the layer encoding', () => {
    const t = setup();
    t.setR(R(0.99));
    analysisTrace(t, { errorIn: 'market', endScore: 81.5 });
    const decision = selectForExport(t.drain(), config);
    let estimated = 0;
    let actual = 0;
    for (const item of decision.exported) {
      const size = Buffer.byteLength(JSON.stringify(encodeSpan(item, false))) + 1; // + the separating comma
      const estimate = estimateSpanJsonBytes(item.span, item.attributes, item.traceState);
      expect(Math.abs(estimate / size - 1)).toBeLessThan(0.15);
      estimated += estimate;
      actual += size;
    }
    expect(Math.abs(estimated / actual - 1)).toBeLessThan(0.08);
  });
});
