/**
 * Simulation over ≥ 100 000 real SDK spans of the demo workload's mix (test/support/span-mix.ts):
 * invocations of the four functions, recorded with the business-aware sampler, one flush decision per
 * invocation, as the layer does. Seeded: the same spans and trace ids on every run.
 */
import { ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Attr } from '../../../../../../layers/otel/src/constants';
import {
  createBusinessAwareSampler,
  DEFAULT_SAMPLING_CONFIG,
  isHighValue,
  SAMPLING_CATEGORIES,
  type SamplingCategory,
  selectForExport,
} from '../../../../../../layers/otel/src/sampling';
import {
  createPrng,
  generateSpanMix,
  type InvocationPlan,
  runInvocation,
  seededIdGenerator,
} from '../../../../../support/span-mix';

interface Totals {
  started: number;
  exported: number;
  estimated: number;
  startedBytes: number;
  exportedBytes: number;
}

function simulate(plans: readonly InvocationPlan[], enabled: boolean) {
  const buffer: ReadableSpan[] = [];
  const processor: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => {
      buffer.push(span);
    },
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
  const config = DEFAULT_SAMPLING_CONFIG;
  const provider = new BasicTracerProvider({
    sampler: createBusinessAwareSampler({ getConfig: () => config, enabled }),
    idGenerator: seededIdGenerator(createPrng(4242)),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('simulation');
  const totals = {} as Record<SamplingCategory, Totals>;
  for (const category of SAMPLING_CATEGORIES) {
    totals[category] = { started: 0, exported: 0, estimated: 0, startedBytes: 0, exportedBytes: 0 };
  }
  const mustKeep = { errors: 0, errorsExported: 0, highValue: 0, highValueExported: 0 };
  for (const plan of plans) {
    runInvocation(tracer, plan.root, ROOT_CONTEXT);
    const decision = selectForExport(buffer, config);
    const exported = new Set(decision.exported.map((item) => item.span));
    for (const item of decision.exported) {
      const category = item.attributes[Attr.SAMPLING_CATEGORY] as SamplingCategory;
      totals[category].estimated += 1 / (item.attributes[Attr.SAMPLING_PROBABILITY] as number);
    }
    for (const span of buffer) {
      if (span.status.code === SpanStatusCode.ERROR) {
        mustKeep.errors += 1;
        if (exported.has(span)) mustKeep.errorsExported += 1;
      }
      if (isHighValue(span.attributes, config)) {
        mustKeep.highValue += 1;
        if (exported.has(span)) mustKeep.highValueExported += 1;
      }
    }
    for (const category of SAMPLING_CATEGORIES) {
      const stats = decision.stats[category];
      const total = totals[category];
      total.started += stats.started;
      total.exported += stats.exported;
      total.startedBytes += stats.startedBytes;
      total.exportedBytes += stats.exportedBytes;
    }
    buffer.length = 0;
  }
  const sum = (key: keyof Totals) =>
    SAMPLING_CATEGORIES.reduce((acc, category) => acc + totals[category][key], 0);
  return {
    totals,
    mustKeep,
    started: sum('started'),
    exported: sum('exported'),
    startedBytes: sum('startedBytes'),
    exportedBytes: sum('exportedBytes'),
  };
}

describe('sampling simulation (200 000 spans, seeded)', () => {
  const plans = generateSpanMix({ seed: 42, minSpans: 200_000 });
  const result = simulate(plans, true);

  it('simulates a realistic mix: every category well represented, errors and opportunities present', () => {
    expect(result.started).toBeGreaterThanOrEqual(200_000);
    for (const category of SAMPLING_CATEGORIES)
      expect(result.totals[category].started).toBeGreaterThan(20_000);
    expect(result.mustKeep.errors).toBeGreaterThan(400);
    expect(result.mustKeep.highValue).toBeGreaterThan(200);
  });

  it('exports at least 60 % fewer spans (and bytes) than with sampling off', () => {
    const off = simulate(plans.slice(0, 2_000), false);
    expect(off.exported).toBe(off.started); // sampling off exports everything
    expect(1 - result.exported / result.started).toBeGreaterThanOrEqual(0.6);
    expect(1 - result.exportedBytes / result.startedBytes).toBeGreaterThanOrEqual(0.6);
  });

  it('exports 100 % of error spans and of high-value spans', () => {
    expect(result.mustKeep.errorsExported).toBe(result.mustKeep.errors);
    expect(result.mustKeep.highValueExported).toBe(result.mustKeep.highValue);
  });

  it.each(SAMPLING_CATEGORIES)('estimates the true count of %s within ±5 % by Σ 1/p', (category) => {
    const { started, estimated } = result.totals[category];
    expect(Math.abs(estimated / started - 1)).toBeLessThan(0.05);
  });
});
