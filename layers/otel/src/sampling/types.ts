/** Contract between the layer's core, the sampler and the sampling-optimizer. */

/** Sampling categories, derived from a span's name and attributes when it starts. */
export const SamplingCategory = {
  /** `trading.opportunity_analysis` and other trading decisions. */
  TRADING: 'trading',
  /** ML validation and accuracy spans (`ml.*`). */
  ML_VALIDATION: 'ml_validation',
  /** Market data ingestion (`record_prices`, price reads). */
  MARKET_DATA: 'market_data',
  /** Invocation root spans and everything else that is not noise. */
  INVOCATION: 'invocation',
  /** Health checks, status reads, scheduler no-ops: the cheapest to drop. */
  NOISE: 'noise',
} as const;
export type SamplingCategory = (typeof SamplingCategory)[keyof typeof SamplingCategory];
export const SAMPLING_CATEGORIES: readonly SamplingCategory[] = Object.values(SamplingCategory);

/** The optimizer's configuration, versioned in DynamoDB and read by the layer (cached ≤ 60 s). */
export interface SamplingConfig {
  /** Monotonic version; 0 means the built-in defaults. */
  readonly version: number;
  /** Probability per category, each in [0, 1]. */
  readonly probabilities: Readonly<Record<SamplingCategory, number>>;
  /** Opportunity score at or above which a span is high-value and always kept. */
  readonly highValueScore: number;
  /** Notional (price × quantity, USD) at or above which a span is high-value and always kept. */
  readonly highValueNotional: number;
  /** ISO time the configuration was written. */
  readonly updatedAt: string;
  /** Why the optimizer chose it (human readable). */
  readonly reason: string;
}
