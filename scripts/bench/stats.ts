/** Sample summaries for the benchmark (nearest-rank percentiles: no interpolation between samples). */

export interface SampleSummary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarize(samples: readonly number[]): SampleSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    n: sorted.length,
    median: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    mean: round(sorted.length ? total / sorted.length : Number.NaN),
    min: round(sorted[0] ?? Number.NaN),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/**
 * Paired differences (variant − baseline of the same round): with interleaved rounds this cancels the
 * machine's drift, so its median is the overhead figure reported.
 */
export function pairedDifferences(variant: readonly number[], baseline: readonly number[]): number[] {
  const n = Math.min(variant.length, baseline.length);
  return Array.from({ length: n }, (_, i) => (variant[i] as number) - (baseline[i] as number));
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A ratio, or null when the denominator is not positive (undefined results are null, never Infinity). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 && Number.isFinite(numerator) ? round(numerator / denominator, 2) : null;
}
