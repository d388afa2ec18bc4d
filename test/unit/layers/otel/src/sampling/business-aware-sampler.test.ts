import {
  type Context,
  diag,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { BasicTracerProvider, type ReadableSpan, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { Attr } from '../../../../../../layers/otel/src/constants';
import {
  BusinessAwareSampler,
  createBusinessAwareSampler,
  DEFAULT_SAMPLING_CONFIG,
  type SamplingConfig,
} from '../../../../../../layers/otel/src/sampling';
import { createPrng, seededIdGenerator } from '../../../../../support/span-mix';

/** A trace id whose low 56 bits (the randomness R) are `r` (14 hex digits). */
const traceIdWithR = (r: string) => `0af7651916cd43dd84${r}`;
/** R just at / just below the 0.5 and 0.25 thresholds (th:8 = 0x80000000000000, th:c = 0xc0000000000000). */
const R_HIGH = 'f0000000000000'; // kept at p ≥ 0.0625
const R_MID = '90000000000000'; // kept at 0.5, dropped at 0.25
const R_LOW = '10000000000000'; // kept only at p ≥ 15/16

const config = (overrides: Partial<SamplingConfig['probabilities']> = {}): SamplingConfig => ({
  ...DEFAULT_SAMPLING_CONFIG,
  probabilities: { ...DEFAULT_SAMPLING_CONFIG.probabilities, ...overrides },
});

function setup(options: { enabled?: boolean; config?: SamplingConfig } = {}) {
  let nextTraceId = traceIdWithR(R_HIGH);
  let spanCounter = 0;
  const provider = new BasicTracerProvider({
    sampler: createBusinessAwareSampler({
      getConfig: () => options.config ?? DEFAULT_SAMPLING_CONFIG,
      enabled: options.enabled ?? true,
    }),
    idGenerator: {
      generateTraceId: () => nextTraceId,
      generateSpanId: () => (++spanCounter).toString(16).padStart(16, '0'),
    },
  });
  const tracer = provider.getTracer('test');
  return {
    start(
      name: string,
      attributes: Record<string, string | number | boolean> = {},
      parent: Context = ROOT_CONTEXT,
    ) {
      return tracer.startSpan(name, { attributes }, parent) as Span & ReadableSpan;
    },
    withR(r: string) {
      nextTraceId = traceIdWithR(r);
    },
  };
}

const sampled = (span: Span) => (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
const ot = (span: Span) => span.spanContext().traceState?.get('ot');
const childOf = (span: Span) => trace.setSpan(ROOT_CONTEXT, span);
const remoteParent = (r: string, flags: TraceFlags, traceState?: string): Context => {
  const spanContext: SpanContext = {
    traceId: traceIdWithR(r),
    spanId: 'b7ad6b7169203331',
    traceFlags: flags,
    isRemote: true,
    ...(traceState ? { traceState: new TraceState(traceState) } : {}),
  };
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
};

describe('BusinessAwareSampler: root decisions', () => {
  it('samples a root by its category probability and writes th', () => {
    const t = setup();
    t.withR(R_MID);
    const trading = t.start('trading.opportunity_analysis');
    expect(sampled(trading)).toBe(true);
    expect(ot(trading)).toBe('th:8');
    expect(trading.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.5);
    expect(trading.attributes[Attr.SAMPLING_CATEGORY]).toBe('trading');
  });

  it('writes th:0a3d for a category sampled at p = 0.96 (the leading zero kept)', () => {
    const t = setup({ config: config({ trading: 0.96 }) });
    t.withR('0b000000000000'); // R ≥ T = 0x0a3d0000000000: kept
    const kept = t.start('trading.opportunity_analysis');
    expect(sampled(kept)).toBe(true);
    expect(ot(kept)).toBe('th:0a3d');
    expect(kept.attributes[Attr.SAMPLING_PROBABILITY]).toBe(1 - 0x0a3d / 0x10000);
    t.withR('0a3cffffffffff'); // R < T: dropped
    expect(sampled(t.start('trading.opportunity_analysis'))).toBe(false);
  });

  it('records (not drops) a span it does not sample, without th', () => {
    const t = setup();
    t.withR(R_MID);
    const root = t.start('dual-accuracy-tracker', {
      [Attr.ACTION]: 'validate_all',
      [Attr.SAMPLING_CATEGORY]: 'ml_validation',
    });
    expect(root.isRecording()).toBe(true);
    expect(sampled(root)).toBe(false);
    expect(ot(root)).toBeUndefined();
    expect(root.attributes[Attr.SAMPLING_CATEGORY]).toBe('ml_validation');
    expect(root.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.25);
  });

  it('keeps high-value spans (known at start) at probability 1', () => {
    const t = setup();
    t.withR(R_LOW);
    for (const attributes of [
      { [Attr.OPPORTUNITY_SCORE]: 70 },
      { [Attr.NOTIONAL]: 2_500_000 },
      { [Attr.ALERT]: true },
    ]) {
      const span = t.start('trading.opportunity_analysis', attributes);
      expect(sampled(span)).toBe(true);
      expect(ot(span)).toBe('th:0');
      expect(span.attributes[Attr.SAMPLING_PROBABILITY]).toBe(1);
    }
    const below = t.start('trading.opportunity_analysis', { [Attr.OPPORTUNITY_SCORE]: 69.9 });
    expect(sampled(below)).toBe(false);
  });

  it('never samples a category at p = 0 and always at p = 1', () => {
    const t = setup({ config: config({ noise: 0, trading: 1 }) });
    t.withR('ffffffffffffff');
    const noise = t.start('health');
    expect(sampled(noise)).toBe(false);
    expect(noise.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0);
    t.withR('00000000000000');
    const trading = t.start('trading.opportunity_analysis');
    expect(sampled(trading)).toBe(true);
    expect(ot(trading)).toBe('th:0');
  });

  it('behaves as AlwaysOn when disabled', () => {
    const t = setup({ enabled: false });
    t.withR('00000000000000');
    const span = t.start('health');
    expect(sampled(span)).toBe(true);
    expect(ot(span)).toBe('th:0');
    expect(span.attributes[Attr.SAMPLING_PROBABILITY]).toBe(1);
    expect(span.attributes[Attr.SAMPLING_CATEGORY]).toBe('noise');
  });
});

describe('BusinessAwareSampler: parent-based behaviour', () => {
  it('samples the child of a sampled local parent with the smaller threshold (higher probability)', () => {
    const t = setup();
    t.withR(R_HIGH);
    const root = t.start('dual-accuracy-tracker', {
      [Attr.ACTION]: 'record_prices',
      [Attr.SAMPLING_CATEGORY]: 'market_data',
    }); // market_data 0.1
    expect(ot(root)).toBe('th:e666');
    const noise = t.start('scheduled_rankings.skipped', {}, childOf(root)); // 0.05 < 0.1
    expect(sampled(noise)).toBe(true);
    expect(ot(noise)).toBe('th:e666');
    const trading = t.start('trading.rank_opportunities', {}, childOf(root)); // 0.5 > 0.1
    expect(ot(trading)).toBe('th:8');
    expect(trading.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.5);
  });

  it('decides the child of an unsampled local parent by its own category (same R)', () => {
    const t = setup();
    t.withR(R_MID);
    const root = t.start('dual-accuracy-tracker', {
      [Attr.ACTION]: 'validate_all',
      [Attr.SAMPLING_CATEGORY]: 'ml_validation',
    }); // 0.25: dropped
    const trading = t.start('trading.opportunity_analysis', {}, childOf(root)); // 0.5: kept
    const market = t.start('market.prices.read', {}, childOf(root)); // 0.1: dropped
    expect([sampled(root), sampled(trading), sampled(market)]).toEqual([false, true, false]);
    expect(ot(trading)).toBe('th:8');
  });

  it('follows a sampled remote parent and its th for the whole local part of the trace', () => {
    const t = setup();
    const parent = remoteParent(R_HIGH, TraceFlags.SAMPLED, 'ot=th:c;xx:1,vendor=abc');
    const local = t.start(
      'dual-accuracy-tracker',
      { [Attr.ACTION]: 'health', [Attr.SAMPLING_CATEGORY]: 'noise' },
      parent,
    ); // noise 0.05
    expect(sampled(local)).toBe(true);
    expect(local.spanContext().traceState?.serialize()).toContain('vendor=abc');
    expect(ot(local)).toBe('th:c;xx:1');
    expect(local.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.25);
    const child = t.start('trading.opportunity_analysis', {}, childOf(local));
    expect(ot(child)).toBe('th:c;xx:1');
    expect(child.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.25);
  });

  it('records but does not sample under an unsampled remote parent, children included', () => {
    const t = setup();
    const parent = remoteParent(R_HIGH, TraceFlags.NONE, 'vendor=abc');
    const local = t.start('trading.opportunity_analysis', {}, parent);
    expect(local.isRecording()).toBe(true);
    expect(sampled(local)).toBe(false);
    const child = t.start('trading.rank_opportunities', {}, childOf(local));
    expect(sampled(child)).toBe(false);
    expect(child.spanContext().traceState?.get('vendor')).toBe('abc');
  });

  it('erases a remote th that is absent or inconsistent with R, reading the probability as 1', () => {
    const t = setup();
    const noTh = t.start('health', {}, remoteParent(R_LOW, TraceFlags.SAMPLED));
    expect(sampled(noTh)).toBe(true);
    expect(ot(noTh)).toBeUndefined();
    expect(noTh.attributes[Attr.SAMPLING_PROBABILITY]).toBe(1);
    // R from the trace id is below th:8: the parent could not have sampled consistently.
    const inconsistent = t.start('health', {}, remoteParent(R_LOW, TraceFlags.SAMPLED, 'ot=th:8'));
    expect(sampled(inconsistent)).toBe(true);
    expect(ot(inconsistent)).toBeUndefined();
  });

  it('uses an explicit rv over the trace id and keeps it', () => {
    const t = setup();
    // The trace id's R is low (inconsistent with th:8), but rv is high: consistent, th kept.
    const parent = remoteParent(R_LOW, TraceFlags.SAMPLED, 'ot=th:8;rv:ff000000000000');
    const local = t.start('health', {}, parent);
    expect(ot(local)).toBe('th:8;rv:ff000000000000');
    expect(local.attributes[Attr.SAMPLING_PROBABILITY]).toBe(0.5);
  });
});

describe('BusinessAwareSampler: consistency and diagnostics', () => {
  it('keeps nested sets: p1 ≥ p2 over the same 10 000 trace ids', () => {
    const ids = seededIdGenerator(createPrng(42));
    const traceIds = Array.from({ length: 10_000 }, () => ids.generateTraceId());
    const keptAt = (p: number) => {
      const sampler = new BusinessAwareSampler({ getConfig: () => config({ invocation: p }), enabled: true });
      const kept = new Set<string>();
      let dropped = 0;
      for (const traceId of traceIds) {
        const result = sampler.shouldSample(
          ROOT_CONTEXT,
          traceId,
          'dynamodb.query',
          SpanKind.INTERNAL,
          {},
          [],
        );
        if (result.decision === SamplingDecision.RECORD_AND_SAMPLED) kept.add(traceId);
        else if (result.decision !== SamplingDecision.RECORD) dropped += 1;
      }
      expect(dropped).toBe(0); // never NOT_RECORD: unsampled spans stay rescuable
      return kept;
    };
    const probabilities = [1, 0.5, 0.3, 0.25, 0.1, 0.05, 0.01];
    const sets = probabilities.map(keptAt);
    for (let i = 1; i < sets.length; i += 1) {
      const larger = sets[i - 1] as Set<string>;
      const smaller = sets[i] as Set<string>;
      expect([...smaller].filter((id) => !larger.has(id))).toEqual([]);
      // And each rate is close to its probability (binomial, n = 10 000: 4 σ ≤ 0.02).
      expect(Math.abs(smaller.size / traceIds.length - (probabilities[i] as number))).toBeLessThan(0.02);
    }
    expect(sets[0]?.size).toBe(10_000);
  });

  it('describes itself', () => {
    const enabled = createBusinessAwareSampler({ getConfig: () => DEFAULT_SAMPLING_CONFIG, enabled: true });
    expect(enabled.toString()).toBe(
      'BusinessAwareSampler{version=0, trading=0.5, ml_validation=0.25, market_data=0.1, invocation=0.25, ' +
        'noise=0.05, highValueScore>=70, highValueNotional>=1000000, precision=4}',
    );
    const disabled = createBusinessAwareSampler({ getConfig: () => DEFAULT_SAMPLING_CONFIG, enabled: false });
    expect(disabled.toString()).toBe('BusinessAwareSampler{disabled: AlwaysOn}');
  });

  it('normalises a bad probability in a hand-built config with one warning', () => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
    const bad = config({ trading: Number.NaN });
    const sampler = new BusinessAwareSampler({ getConfig: () => bad, enabled: true });
    for (let i = 0; i < 3; i += 1) {
      const result = sampler.shouldSample(
        ROOT_CONTEXT,
        traceIdWithR(R_LOW),
        'trading.opportunity_analysis',
        SpanKind.INTERNAL,
        {},
        [],
      );
      expect(result.decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      expect(result.attributes?.[Attr.SAMPLING_PROBABILITY]).toBe(1);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
