import { AlwaysOffSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { TracesSampler } from '../config';
import { createBusinessAwareSampler } from './business-aware-sampler';
import { SAMPLING_CATEGORIES, type SamplingCategory, type SamplingConfig } from './types';

export interface ConfiguredSampling {
  readonly sampler: Sampler;
  /** The configuration the sampler decides with; the export selection must use the same one. */
  readonly samplingConfig: () => SamplingConfig;
}

/**
 * The sampler OTEL_TRACES_SAMPLER names. Every choice but `always_off` is the business-aware sampler
 * (consistent probability, parents honoured, errors and high-value spans rescued at flush), with:
 * `business_aware` the optimizer's per-category probabilities, `always_on` probability 1 everywhere,
 * `traceidratio` OTEL_TRACES_SAMPLER_ARG for every category.
 */
export function configuredSampling(
  kind: TracesSampler,
  ratio: number,
  optimizerConfig: () => SamplingConfig,
): ConfiguredSampling {
  switch (kind) {
    case TracesSampler.ALWAYS_OFF:
      return { sampler: new AlwaysOffSampler(), samplingConfig: optimizerConfig };
    case TracesSampler.ALWAYS_ON:
      return {
        sampler: createBusinessAwareSampler({ getConfig: optimizerConfig, enabled: false }),
        samplingConfig: optimizerConfig,
      };
    case TracesSampler.TRACE_ID_RATIO: {
      const samplingConfig = withUniformProbability(optimizerConfig, ratio);
      return {
        sampler: createBusinessAwareSampler({ getConfig: samplingConfig, enabled: true }),
        samplingConfig,
      };
    }
    default:
      return {
        sampler: createBusinessAwareSampler({ getConfig: optimizerConfig, enabled: true }),
        samplingConfig: optimizerConfig,
      };
  }
}

/** The source's configuration with one probability for every category (derived once per source value). */
function withUniformProbability(source: () => SamplingConfig, probability: number): () => SamplingConfig {
  const probabilities = Object.fromEntries(
    SAMPLING_CATEGORIES.map((category) => [category, probability]),
  ) as Record<SamplingCategory, number>;
  let from: SamplingConfig | undefined;
  let derived: SamplingConfig | undefined;
  return () => {
    const current = source();
    if (current !== from || derived === undefined) {
      from = current;
      derived = { ...current, probabilities, reason: `OTEL_TRACES_SAMPLER=traceidratio (${probability})` };
    }
    return derived;
  };
}
