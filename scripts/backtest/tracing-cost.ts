/**
 * The replay's tracing cost: span volume per sampling category, sampled at the live probabilities, and the real
 * sampling optimizer (`optimizeSampling`) every quarter-hour over the last quarter-hour's volume, whose projection
 * after its own correction is `EstimatedTracingCostPerDay`.
 */
import { optimizeSampling } from '../../lambdas/sampling-optimizer/optimizer';
import {
  DEFAULT_SAMPLING_CONFIG,
  SAMPLING_CATEGORIES,
  type SamplingCategory,
  type SamplingConfig,
} from '../../layers/otel/src/sampling';

/**
 * Span volume in the regular session per category: spans/minute, bytes/span (OTLP JSON) and the always-kept share
 * (errors, high-value trading events). A fleet-sized platform: unsampled it would cost ~$225/day in tracing, which is
 * why it samples; at the layer's default probabilities it sits near the optimizer's $48 target. Off-hours volume is
 * `OFF_HOURS_FACTOR` of it; within the session it follows a U shape (busier at the open and the close).
 */
export const SPAN_PROFILE: Readonly<
  Record<SamplingCategory, { spansPerMinute: number; bytesPerSpan: number; alwaysKept: number }>
> = {
  trading: { spansPerMinute: 40_000, bytesPerSpan: 1_400, alwaysKept: 0.2 },
  ml_validation: { spansPerMinute: 110_000, bytesPerSpan: 1_200, alwaysKept: 0 },
  market_data: { spansPerMinute: 120_000, bytesPerSpan: 900, alwaysKept: 0 },
  invocation: { spansPerMinute: 50_000, bytesPerSpan: 1_000, alwaysKept: 0 },
  noise: { spansPerMinute: 60_000, bytesPerSpan: 700, alwaysKept: 0 },
};
export const OFF_HOURS_FACTOR = 0.04;

type Volume = { startedSpans: number; exportedSpans: number; startedBytes: number; exportedBytes: number };

const emptyVolumes = (): Record<SamplingCategory, Volume> =>
  Object.fromEntries(
    SAMPLING_CATEGORIES.map((c) => [
      c,
      { startedSpans: 0, exportedSpans: 0, startedBytes: 0, exportedBytes: 0 },
    ]),
  ) as Record<SamplingCategory, Volume>;

export class TracingCostReplay {
  private config: SamplingConfig = { ...DEFAULT_SAMPLING_CONFIG, version: 1 };
  private volumes = emptyVolumes();

  constructor(private readonly budgetPerDay: number) {}

  /** One minute's spans at `factor` × the profile, sampled at the live probabilities: exported bytes per category. */
  addMinute(factor: number): Array<[SamplingCategory, number]> {
    return SAMPLING_CATEGORIES.map((category) => {
      const profile = SPAN_PROFILE[category];
      const spans = profile.spansPerMinute * factor;
      const bytes = spans * profile.bytesPerSpan;
      const p = this.config.probabilities[category];
      const share = profile.alwaysKept + (1 - profile.alwaysKept) * p;
      const volume = this.volumes[category];
      volume.startedSpans += spans;
      volume.startedBytes += bytes;
      volume.exportedSpans += spans * share;
      volume.exportedBytes += bytes * share;
      return [category, bytes * share];
    });
  }

  /** The optimizer over the quarter-hour so far: its projected cost after correction (null: no data). */
  optimize(): number | null {
    const result = optimizeSampling({
      volumes: this.volumes,
      windowSeconds: 900,
      current: this.config,
      policy: { budgetPerDay: this.budgetPerDay },
    });
    if (result.changed) {
      this.config = { ...this.config, version: this.config.version + 1, probabilities: result.probabilities };
    }
    return result.mode !== 'no_data' && result.projection.costPerDayAfter !== null
      ? result.projection.costPerDayAfter
      : null;
  }

  /** A new quarter-hour of volume. */
  nextWindow(): void {
    this.volumes = emptyVolumes();
  }
}
