/**
 * Case 3, sampler decision cost in one process: our BusinessAwareSampler against the SDK's
 * TraceIdRatioBasedSampler and the composite (consistent probability) sampler, on the same inputs.
 * Batches alternate between samplers; the figure is the median ns per decision over batches.
 */
import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  createComposableParentThresholdSampler,
  createComposableProbabilitySampler,
  createComposableRuleBasedSampler,
  createCompositeSampler,
} from '@opentelemetry/sampler-composite';
import { type Sampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { SpanName } from '../../lambdas/shared/names/spans';
import { Attr } from '../../layers/otel/src/constants';
import { createBusinessAwareSampler, DEFAULT_SAMPLING_CONFIG } from '../../layers/otel/src/sampling';
import { type SampleSummary, summarize } from './stats';

interface Input {
  readonly context: Context;
  readonly traceId: string;
  readonly name: string;
  readonly attributes: Attributes;
}

/** Half local roots, half children of a sampled parent with an `ot=th:` tracestate; a mix of span kinds. */
function inputs(count: number): Input[] {
  const shapes: Array<[string, Attributes]> = [
    [SpanName.OPPORTUNITY_ANALYSIS, { [Attr.SYMBOL]: 'AAPL', [Attr.OPPORTUNITY_SCORE]: 42 }],
    [SpanName.VALIDATE_PREDICTION, { [Attr.SYMBOL]: 'MSFT', [Attr.MODEL]: 'lstm-v3' }],
    ['market_data.fetch', { [Attr.SYMBOL]: 'IBM' }],
    ['dynamodb.query', {}],
  ];
  return Array.from({ length: count }, (_, i) => {
    const traceId = randomBytes(16).toString('hex');
    const [name, attributes] = shapes[i % shapes.length] as [string, Attributes];
    const context =
      i % 2 === 0
        ? ROOT_CONTEXT
        : trace.setSpanContext(ROOT_CONTEXT, {
            traceId,
            spanId: randomBytes(8).toString('hex'),
            traceFlags: TraceFlags.SAMPLED,
            traceState: createTraceState('ot=th:c'),
          });
    return { context, traceId, name, attributes };
  });
}

function samplers(): Record<string, Sampler> {
  const probability = 0.25;
  return {
    'BusinessAwareSampler (ours)': createBusinessAwareSampler({
      getConfig: () => DEFAULT_SAMPLING_CONFIG,
      enabled: true,
    }),
    TraceIdRatioBasedSampler: new TraceIdRatioBasedSampler(probability),
    'sampler-composite (ParentThreshold(RuleBased))': createCompositeSampler(
      createComposableParentThresholdSampler(
        createComposableRuleBasedSampler([
          [(_c, _t, name) => name.startsWith('trading.'), createComposableProbabilitySampler(0.5)],
          [() => true, createComposableProbabilitySampler(probability)],
        ]),
      ),
    ),
  };
}

export interface SamplerResult {
  readonly sampler: string;
  readonly nsPerDecision: SampleSummary;
  readonly ratioToTraceIdRatio: number | null;
  readonly sampledFraction: number;
}

export function runSamplerCase(options: {
  batches: number;
  batchSize: number;
  progress: (line: string) => void;
}): SamplerResult[] {
  const data = inputs(4096);
  const all = samplers();
  const names = Object.keys(all);
  const ns: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const sampled: Record<string, number> = Object.fromEntries(names.map((name) => [name, 0]));
  const run = (name: string, count: number): number => {
    const sampler = all[name] as Sampler;
    let kept = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const input = data[i & 4095] as Input;
      const result = sampler.shouldSample(
        input.context,
        input.traceId,
        input.name,
        SpanKind.INTERNAL,
        input.attributes,
        [],
      );
      if (result.decision === 2) kept++;
    }
    const elapsed = Number(process.hrtime.bigint() - started);
    sampled[name] = (sampled[name] ?? 0) + kept;
    return elapsed / count;
  };
  // Warm-up: let every sampler reach optimised code before timing.
  for (const name of names) run(name, options.batchSize);
  for (const name of names) sampled[name] = 0;
  for (let batch = 0; batch < options.batches; batch++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(batch + k) % names.length] as string;
      ns[name]?.push(run(name, options.batchSize));
    }
  }
  const baseline = summarize(ns.TraceIdRatioBasedSampler ?? []).median;
  const results = names.map((name) => {
    const summary = summarize(ns[name] ?? []);
    return {
      sampler: name,
      nsPerDecision: summary,
      ratioToTraceIdRatio: baseline > 0 ? Math.round((summary.median / baseline) * 100) / 100 : null,
      sampledFraction:
        Math.round(((sampled[name] ?? 0) / (options.batches * options.batchSize)) * 1000) / 1000,
    };
  });
  for (const result of results) {
    options.progress(
      `  sampler: ${result.sampler}: ${result.nsPerDecision.median.toFixed(0)} ns/decision (×${result.ratioToTraceIdRatio})`,
    );
  }
  return results;
}
