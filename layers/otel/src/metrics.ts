import { scrubText } from './pii';
import { currentScope } from './scope';
import type { LineSink } from './sink';

/** CloudWatch units used by this product (a subset of the StandardUnit enum). */
export const MetricUnit = {
  COUNT: 'Count',
  PERCENT: 'Percent',
  MILLISECONDS: 'Milliseconds',
  SECONDS: 'Seconds',
  BYTES: 'Bytes',
  NONE: 'None',
} as const;
export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The CloudWatch Embedded Metric Format limits (AWS documentation, "Specification: Embedded metric format"). */
export const EMF_LIMITS = {
  METRICS_PER_DOCUMENT: 100,
  DIMENSIONS_PER_SET: 30,
  VALUES_PER_METRIC: 100,
  NAME_MAX_LENGTH: 255,
  DIMENSION_VALUE_MAX_LENGTH: 1024,
} as const;

export type Dimensions = Readonly<Record<string, string>>;

const SCRUB_CACHE_LIMIT = 1024;

interface Pending {
  readonly unit: MetricUnit;
  readonly values: number[];
}

interface Group {
  readonly dimensions: Dimensions;
  readonly metrics: Map<string, Pending>;
  /** Set when recorded inside a time-shifted scope: the shifted minute, else the flush time is used. */
  readonly timestamp?: number;
}

const MINUTE_MS = 60_000;

export interface MetricsOptions {
  readonly namespace: string;
  readonly defaultDimensions: Dimensions;
  readonly sink: LineSink;
  readonly enabled: boolean;
  /**
   * Masks personal data in dimension values (a card number sent as a model id), as spans and logs are.
   * Dimension names are the code's own. @default true
   */
  readonly scrub?: boolean;
  readonly now?: () => number;
  readonly warn?: (message: string) => void;
}

/**
 * Collects metrics during an invocation and writes them as CloudWatch EMF documents at flush.
 * Values of one metric with the same dimensions are sent as an array (CloudWatch aggregates them);
 * documents are split to stay within EMF's limits. Invalid input is dropped with a warning, never thrown.
 */
export class Metrics {
  private groups = new Map<string, Group>();
  /** Scrubbed dimension values: a process sees few distinct ones, so each is scrubbed once (bounded). */
  private readonly scrubbed = new Map<string, string>();

  constructor(private options: MetricsOptions) {}

  configure(options: Partial<MetricsOptions>): void {
    this.options = { ...this.options, ...options };
  }

  add(name: string, unit: MetricUnit, value: number, dimensions: Dimensions = {}): void {
    if (!this.options.enabled) return;
    if (!Number.isFinite(value)) {
      this.options.warn?.(`metric ${name} dropped: value ${value} is not finite`);
      return;
    }
    if (name.length === 0 || name.length > EMF_LIMITS.NAME_MAX_LENGTH) {
      this.options.warn?.(`metric dropped: invalid name "${name.slice(0, 40)}"`);
      return;
    }
    const scope = currentScope();
    // The scope's dimensions win: a metric recorded in a (e.g. demo) scope cannot pass for another's.
    const merged = this.safeDimensions({
      ...this.options.defaultDimensions,
      ...dimensions,
      ...scope.metricDimensions,
    });
    const names = Object.keys(merged);
    if (names.length > EMF_LIMITS.DIMENSIONS_PER_SET) {
      this.options.warn?.(`metric ${name} dropped: ${names.length} dimensions exceed EMF's limit`);
      return;
    }
    // A shifted (replayed) value keeps its own minute: CloudWatch's resolution, and one document per minute.
    const timestamp =
      scope.timeShiftMs === undefined
        ? undefined
        : Math.floor(((this.options.now ?? Date.now)() + scope.timeShiftMs) / MINUTE_MS) * MINUTE_MS;
    const key = `${names
      .sort()
      .map((dimension) => `${dimension}=${merged[dimension]}`)
      .join('\u0000')}\u0001${timestamp ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { dimensions: merged, metrics: new Map(), ...(timestamp === undefined ? {} : { timestamp }) };
      this.groups.set(key, group);
    }
    const pending = group.metrics.get(name);
    if (pending) pending.values.push(value);
    else group.metrics.set(name, { unit, values: [value] });
  }

  private safeDimensions(dimensions: Record<string, string>): Record<string, string> {
    if (this.options.scrub === false) return dimensions;
    for (const [name, value] of Object.entries(dimensions)) {
      const text = String(value);
      let safe = this.scrubbed.get(text);
      if (safe === undefined) {
        safe = scrubText(text);
        if (this.scrubbed.size >= SCRUB_CACHE_LIMIT) this.scrubbed.clear();
        this.scrubbed.set(text, safe);
      }
      dimensions[name] = safe;
    }
    return dimensions;
  }

  /** Number of metric values waiting to be flushed. */
  get size(): number {
    let total = 0;
    for (const group of this.groups.values()) {
      for (const metric of group.metrics.values()) total += metric.values.length;
    }
    return total;
  }

  /** Serialises everything recorded so far into EMF documents and clears the buffer. */
  drain(): Record<string, unknown>[] {
    const timestamp = (this.options.now ?? Date.now)();
    const documents: Record<string, unknown>[] = [];
    for (const group of this.groups.values()) {
      const entries = [...group.metrics.entries()];
      // Split metrics into documents of ≤ 100 definitions, and value arrays into chunks of ≤ 100.
      const flattened: Array<{ name: string; unit: MetricUnit; values: number[] }> = [];
      for (const [name, { unit, values }] of entries) {
        for (let i = 0; i < values.length; i += EMF_LIMITS.VALUES_PER_METRIC) {
          flattened.push({ name, unit, values: values.slice(i, i + EMF_LIMITS.VALUES_PER_METRIC) });
        }
      }
      const batches: Array<typeof flattened> = [];
      for (const item of flattened) {
        const open = batches.find(
          (batch) =>
            batch.length < EMF_LIMITS.METRICS_PER_DOCUMENT &&
            !batch.some((other) => other.name === item.name),
        );
        if (open) open.push(item);
        else batches.push([item]);
      }
      for (const batch of batches) {
        const document: Record<string, unknown> = {
          _aws: {
            Timestamp: group.timestamp ?? timestamp,
            CloudWatchMetrics: [
              {
                Namespace: this.options.namespace,
                Dimensions: [Object.keys(group.dimensions)],
                Metrics: batch.map(({ name, unit }) => ({ Name: name, Unit: unit })),
              },
            ],
          },
          ...group.dimensions,
        };
        for (const { name, values } of batch) document[name] = values.length === 1 ? values[0] : values;
        documents.push(document);
      }
    }
    this.groups = new Map();
    return documents;
  }

  /** Writes pending metrics to the sink as EMF, one document per line. Never throws. */
  flush(): void {
    try {
      for (const document of this.drain()) this.options.sink.write(JSON.stringify(document));
    } catch (error) {
      this.options.warn?.(`metrics flush failed: ${(error as Error).message}`);
    }
  }
}
