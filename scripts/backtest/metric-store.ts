/**
 * An in-memory CloudWatch: metric datapoints at minute resolution, and the statistics alarms ask for over a
 * time range [from, to) in minutes (Sum, SampleCount, Average, Minimum, Maximum, pNN, PR(:x)). Each series keeps
 * one aggregate per minute that has data, plus prefix sums so that a 3-day Sum costs two binary searches.
 */
import { ScriptError, ScriptErrorCode } from '../errors';

export class MetricStoreError extends ScriptError {
  override readonly name: string = 'MetricStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ScriptErrorCode.BACKTEST_METRIC_QUERY_INVALID, message, options);
  }
}

/** The key of a series: namespace, name and dimensions (sorted), as CloudWatch identifies a metric. */
export function seriesKey(
  namespace: string,
  name: string,
  dimensions: Readonly<Record<string, string>>,
): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((key) => `${key}=${dimensions[key]}`)
    .join(',');
  return `${namespace}|${name}|${dims}`;
}

class Series {
  readonly minutes: number[] = [];
  readonly sums: number[] = [];
  readonly counts: number[] = [];
  readonly mins: number[] = [];
  readonly maxs: number[] = [];
  /** Raw values per minute entry, for percentiles (only when the series keeps them). */
  readonly values: number[][] | null;
  private prefixSum: Float64Array | null = null;
  private prefixCount: Float64Array | null = null;
  private readonly prefixAtMost = new Map<number, Float64Array>();

  constructor(keepValues: boolean) {
    this.values = keepValues ? [] : null;
  }

  add(minute: number, value: number): void {
    const last = this.minutes.length - 1;
    if (last >= 0 && (this.minutes[last] as number) > minute) {
      throw new MetricStoreError(
        `datapoints must be added in time order (minute ${minute} after ${this.minutes[last]})`,
      );
    }
    if (last >= 0 && this.minutes[last] === minute) {
      this.sums[last] = (this.sums[last] as number) + value;
      this.counts[last] = (this.counts[last] as number) + 1;
      this.mins[last] = Math.min(this.mins[last] as number, value);
      this.maxs[last] = Math.max(this.maxs[last] as number, value);
      this.values?.[last]?.push(value);
    } else {
      this.minutes.push(minute);
      this.sums.push(value);
      this.counts.push(1);
      this.mins.push(value);
      this.maxs.push(value);
      this.values?.push([value]);
    }
    this.prefixSum = null;
    this.prefixCount = null;
    this.prefixAtMost.clear();
  }

  /** Index of the first entry at or after `minute`. */
  private lowerBound(minute: number): number {
    let low = 0;
    let high = this.minutes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.minutes[middle] as number) < minute) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  range(from: number, to: number): [number, number] {
    return [this.lowerBound(from), this.lowerBound(to)];
  }

  private prefix(kind: 'sum' | 'count'): Float64Array {
    const cached = kind === 'sum' ? this.prefixSum : this.prefixCount;
    if (cached) return cached;
    const source = kind === 'sum' ? this.sums : this.counts;
    const prefix = new Float64Array(source.length + 1);
    for (let i = 0; i < source.length; i++) prefix[i + 1] = (prefix[i] as number) + (source[i] as number);
    if (kind === 'sum') this.prefixSum = prefix;
    else this.prefixCount = prefix;
    return prefix;
  }

  total(kind: 'sum' | 'count', lo: number, hi: number): number {
    const prefix = this.prefix(kind);
    return (prefix[hi] as number) - (prefix[lo] as number);
  }

  /** How many raw values ≤ threshold in entries [lo, hi). */
  atMost(threshold: number, lo: number, hi: number): number {
    let prefix = this.prefixAtMost.get(threshold);
    if (!prefix) {
      if (!this.values) throw new MetricStoreError('percentile ranks need a series that keeps its values');
      prefix = new Float64Array(this.values.length + 1);
      for (let i = 0; i < this.values.length; i++) {
        let count = 0;
        for (const value of this.values[i] as number[]) if (value <= threshold) count++;
        prefix[i + 1] = (prefix[i] as number) + count;
      }
      this.prefixAtMost.set(threshold, prefix);
    }
    return (prefix[hi] as number) - (prefix[lo] as number);
  }
}

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/i;
const PERCENTILE_RANK = /^PR\(:(\d+(?:\.\d+)?)\)$/i;

export class MetricStore {
  private readonly series = new Map<string, Series>();
  /** Names of metrics whose raw values are kept (for percentiles and percentile ranks). */
  private readonly keepValuesOf: ReadonlySet<string>;

  constructor(keepValuesOf: readonly string[] = []) {
    this.keepValuesOf = new Set(keepValuesOf);
  }

  put(
    namespace: string,
    name: string,
    dimensions: Readonly<Record<string, string>>,
    minute: number,
    value: number,
  ): void {
    const key = seriesKey(namespace, name, dimensions);
    let series = this.series.get(key);
    if (!series) {
      series = new Series(this.keepValuesOf.has(name));
      this.series.set(key, series);
    }
    series.add(minute, value);
  }

  keys(): string[] {
    return [...this.series.keys()];
  }

  /**
   * The statistic over [from, to) minutes, or null when the series has no datapoint there (CloudWatch's
   * missing datapoint). PR(:x) is the percentage of values ≤ x, as CloudWatch defines the percentile rank.
   */
  statistic(key: string, statistic: string, from: number, to: number): number | null {
    const series = this.series.get(key);
    if (!series) return null;
    const [lo, hi] = series.range(from, to);
    if (hi <= lo) return null;
    switch (statistic) {
      case 'Sum':
        return series.total('sum', lo, hi);
      case 'SampleCount':
        return series.total('count', lo, hi);
      case 'Average':
        return series.total('sum', lo, hi) / series.total('count', lo, hi);
      case 'Minimum': {
        let min = Number.POSITIVE_INFINITY;
        for (let i = lo; i < hi; i++) min = Math.min(min, series.mins[i] as number);
        return min;
      }
      case 'Maximum': {
        let max = Number.NEGATIVE_INFINITY;
        for (let i = lo; i < hi; i++) max = Math.max(max, series.maxs[i] as number);
        return max;
      }
      default:
        break;
    }
    const rank = PERCENTILE_RANK.exec(statistic);
    if (rank) return (100 * series.atMost(Number(rank[1]), lo, hi)) / series.total('count', lo, hi);
    const percentile = PERCENTILE.exec(statistic);
    if (percentile) {
      if (!series.values) throw new MetricStoreError(`${statistic} of ${key} needs the series' raw values`);
      const all: number[] = [];
      for (let i = lo; i < hi; i++) all.push(...(series.values[i] as number[]));
      all.sort((a, b) => a - b);
      // Nearest rank, as CloudWatch's percentiles on raw values.
      const index = Math.min(
        all.length - 1,
        Math.max(0, Math.ceil((Number(percentile[1]) / 100) * all.length) - 1),
      );
      return all[index] as number;
    }
    throw new MetricStoreError(`unsupported statistic ${statistic}`);
  }
}
