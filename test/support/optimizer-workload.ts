/** A steady synthetic workload for optimizer tests: per-category started bytes/spans and always-kept shares. */
import {
  DEFAULT_SAMPLING_CONFIG,
  SAMPLING_CATEGORIES,
  type SamplingCategory,
  type SamplingConfig,
} from '@trading-observability/otel';
import type { Probabilities, WindowVolumes } from '../../lambdas/sampling-optimizer/optimizer';

export interface CategoryLoad {
  /** Started bytes per window. */
  readonly bytes: number;
  /** Started spans per window. */
  readonly spans: number;
  /** Share of the bytes always exported (errors, high-value). */
  readonly keptShare: number;
}
export type Workload = Record<SamplingCategory, CategoryLoad>;

/** ≈ $460/day unsampled per 15-minute window at $0.40/GB; ≈ $84/day at the default probabilities. */
export const HEAVY: Workload = {
  trading: { bytes: 1e9, spans: 1_000_000, keptShare: 0.02 },
  ml_validation: { bytes: 2e9, spans: 2_000_000, keptShare: 0.02 },
  market_data: { bytes: 3e9, spans: 3_000_000, keptShare: 0.02 },
  invocation: { bytes: 2e9, spans: 2_000_000, keptShare: 0.02 },
  noise: { bytes: 4e9, spans: 4_000_000, keptShare: 0.02 },
};

export function scaled(workload: Workload, factor: number): Workload {
  const out = {} as Record<SamplingCategory, CategoryLoad>;
  for (const c of SAMPLING_CATEGORIES) {
    out[c] = {
      ...workload[c],
      bytes: workload[c].bytes * factor,
      spans: Math.round(workload[c].spans * factor),
    };
  }
  return out;
}

/** What the layer would report for a window of this workload under probabilities `p` (expected values). */
export function volumesAt(workload: Workload, p: Probabilities): WindowVolumes {
  const volumes: WindowVolumes = {};
  for (const c of SAMPLING_CATEGORIES) {
    const { bytes, spans, keptShare } = workload[c];
    const share = keptShare + p[c] * (1 - keptShare);
    volumes[c] = {
      startedSpans: spans,
      exportedSpans: Math.round(spans * share),
      startedBytes: bytes,
      exportedBytes: bytes * share,
    };
  }
  return volumes;
}

export function configWith(probabilities: Probabilities, version = 1): SamplingConfig {
  return { ...DEFAULT_SAMPLING_CONFIG, version, probabilities, reason: 'test' };
}

export const DEFAULTS: Probabilities = { ...DEFAULT_SAMPLING_CONFIG.probabilities };
