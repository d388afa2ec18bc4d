/**
 * Where the optimizer reads one window's span volumes and the accuracy signal: CloudWatch GetMetricData
 * (deployed: the layer's EMF metrics) or the layer's local EMF file (local runs, where there is no
 * CloudWatch). Both answer the same `WindowReading`.
 */
import { createReadStream, existsSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  METRICS_NAMESPACE,
  SAMPLING_CATEGORIES,
  type SamplingCategory,
  VolumeMetric,
} from '@trading-observability/otel';
import { DependencyError, FailureCode } from '../shared/errors';
import { MetricDimension, ProductMetric } from '../shared/names/metrics';
import { isLivePartition, PARTITION_DIMENSION } from '../shared/partition';
import type { AccuracySignal, CategoryVolume, WindowVolumes } from './optimizer';

/** The tracker's metrics read as the accuracy signal (its overall figures). */
export const AccuracyMetric = {
  ALERT: ProductMetric.ACCURACY_ALERT,
  UPPER_BOUND: ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND,
} as const;

/**
 * The dimensions of the tracker's overall figures in a partition: `Service` alone in the live one (the alarms'
 * series), plus `DataPartition` in another, so a demo optimizer reads the demo's accuracy and the live one never
 * reads the demo's. Series with more dimensions (Model, Symbol, Run: ad-hoc) are not the overall signal.
 */
export function accuracyDimensions(serviceName: string, partition?: string): Record<string, string> {
  return partition === undefined || isLivePartition(partition)
    ? { [MetricDimension.SERVICE]: serviceName }
    : { [MetricDimension.SERVICE]: serviceName, [PARTITION_DIMENSION]: partition };
}

export interface MetricsWindow {
  /** Start of the volume window (inclusive). */
  readonly start: Date;
  /** End of both windows (exclusive). */
  readonly end: Date;
  /** Start of the accuracy window (≤ start; a whole number of volume windows before end). */
  readonly accuracyStart: Date;
}

export interface WindowReading {
  readonly volumes: WindowVolumes;
  readonly accuracy: AccuracySignal;
  /** Data points (or EMF values) found for the volume metrics; 0 means no data at all. */
  readonly volumeDatapoints: number;
  readonly source: string;
}

export interface VolumeReader {
  /** Where the readings come from, for the result (`cloudwatch`, `file:.local/metrics.jsonl`, …). */
  readonly source: string;
  read(window: MetricsWindow): Promise<WindowReading>;
}

/** CloudWatch (or the local EMF file) could not give the window's volumes. */
export class MetricsUnavailableError extends DependencyError {
  override readonly name = 'MetricsUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.METRICS_UNAVAILABLE, message, options);
  }
}

/** Field of `CategoryVolume` each layer metric fills. */
export const VOLUME_FIELDS: ReadonlyArray<readonly [keyof CategoryVolume, string]> = [
  ['startedSpans', VolumeMetric.SPANS_STARTED],
  ['exportedSpans', VolumeMetric.SPANS_EXPORTED],
  ['startedBytes', VolumeMetric.SPAN_BYTES_STARTED],
  ['exportedBytes', VolumeMetric.SPAN_BYTES_EXPORTED],
];

/** Degraded: the evidence-gated alert fired, or the Wilson upper bound of the hit rate is below the threshold. */
export function accuracySignal(
  alert: number | null,
  upperBoundPct: number | null,
  thresholdPct: number,
): AccuracySignal {
  const degraded = (alert !== null && alert >= 1) || (upperBoundPct !== null && upperBoundPct < thresholdPct);
  return { degraded, alert, upperBoundPct };
}

type MutableVolumes = Record<SamplingCategory, { -readonly [K in keyof CategoryVolume]: number }>;

function emptyVolumes(): MutableVolumes {
  const volumes = {} as MutableVolumes;
  for (const category of SAMPLING_CATEGORIES) {
    volumes[category] = { startedSpans: 0, exportedSpans: 0, startedBytes: 0, exportedBytes: 0 };
  }
  return volumes;
}

/** The GetMetricData queries: 4 volume metrics × 5 categories (Sum), and the accuracy pair. */
export function metricQueries(
  serviceName: string,
  periodSeconds: number,
  partition?: string,
): MetricDataQuery[] {
  const queries: MetricDataQuery[] = [];
  SAMPLING_CATEGORIES.forEach((category, c) => {
    VOLUME_FIELDS.forEach(([, metricName], m) => {
      queries.push({
        Id: `v${c}_${m}`,
        Label: `${category}/${metricName}`,
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: METRICS_NAMESPACE,
            MetricName: metricName,
            Dimensions: [
              { Name: 'Service', Value: serviceName },
              { Name: 'Category', Value: category },
            ],
          },
          Period: periodSeconds,
          Stat: 'Sum',
        },
      });
    });
  });
  const overall = (id: string, metricName: string, stat: string): MetricDataQuery => ({
    Id: id,
    Label: metricName,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: METRICS_NAMESPACE,
        MetricName: metricName,
        Dimensions: Object.entries(accuracyDimensions(serviceName, partition)).map(([Name, Value]) => ({
          Name,
          Value,
        })),
      },
      Period: periodSeconds,
      Stat: stat,
    },
  });
  queries.push(overall('acc_alert', AccuracyMetric.ALERT, 'Maximum'));
  queries.push(overall('acc_upper', AccuracyMetric.UPPER_BOUND, 'Minimum'));
  return queries;
}

export interface CloudWatchReaderOptions {
  /**
   * The client, asked for on the first read: only `optimize` reads CloudWatch, and building a client costs a
   * cold start ~2–3 ms that `status` and `history` need not pay (docs/benchmarks.md).
   */
  readonly client: () => CloudWatchClient;
  readonly serviceName: string;
  /** The data partition whose accuracy signal is read. @default live */
  readonly partition?: string;
  /** Accuracy threshold in % (the tracker's 60 %). */
  readonly accuracyThresholdPct: number;
}

/**
 * One GetMetricData call (following NextToken) for all categories and the accuracy signal. The period is
 * the volume window; the call spans the accuracy window, so volume sums keep only the data points at or
 * after the volume window's start, while the accuracy signal uses them all.
 */
export function cloudWatchVolumeReader(options: CloudWatchReaderOptions): VolumeReader {
  return {
    source: 'cloudwatch',
    async read(window) {
      const periodSeconds = Math.round((window.end.getTime() - window.start.getTime()) / 1000);
      const queries = metricQueries(options.serviceName, periodSeconds, options.partition);
      const results: NonNullable<GetMetricDataCommandOutput['MetricDataResults']> = [];
      let nextToken: string | undefined;
      try {
        do {
          const output = await options.client().send(
            new GetMetricDataCommand({
              MetricDataQueries: queries,
              StartTime: window.accuracyStart,
              EndTime: window.end,
              ScanBy: 'TimestampDescending',
              ...(nextToken ? { NextToken: nextToken } : {}),
            }),
          );
          results.push(...(output.MetricDataResults ?? []));
          nextToken = output.NextToken;
        } while (nextToken);
      } catch (error) {
        throw new MetricsUnavailableError(`CloudWatch GetMetricData failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const volumes = emptyVolumes();
      let volumeDatapoints = 0;
      let alert: number | null = null;
      let upper: number | null = null;
      for (const result of results) {
        const values = result.Values ?? [];
        const timestamps = result.Timestamps ?? [];
        if (result.Id === 'acc_alert' || result.Id === 'acc_upper') {
          for (const value of values) {
            if (!Number.isFinite(value)) continue;
            if (result.Id === 'acc_alert') alert = alert === null ? value : Math.max(alert, value);
            else upper = upper === null ? value : Math.min(upper, value);
          }
          continue;
        }
        const match = /^v(\d+)_(\d+)$/.exec(result.Id ?? '');
        const category = SAMPLING_CATEGORIES[Number(match?.[1])];
        const field = VOLUME_FIELDS[Number(match?.[2])]?.[0];
        if (!category || !field) continue;
        values.forEach((value, i) => {
          const at = timestamps[i];
          // A data point without a timestamp is counted (over-estimating cost is the safe error).
          if (at !== undefined && at.getTime() < window.start.getTime()) return;
          if (!Number.isFinite(value)) return;
          volumes[category][field] += value;
          volumeDatapoints += 1;
        });
      }
      return {
        volumes,
        accuracy: accuracySignal(alert, upper, options.accuracyThresholdPct),
        volumeDatapoints,
        source: 'cloudwatch',
      };
    },
  };
}

function sumValues(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) {
    const numbers = value.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return numbers.length ? numbers.reduce((a, b) => a + b, 0) : null;
  }
  return null;
}

export interface FileReaderOptions {
  /** The layer's EMF file (one JSON document per line). */
  readonly file: string;
  readonly serviceName: string;
  readonly accuracyThresholdPct: number;
  /** The data partition whose accuracy signal is read. @default live */
  readonly partition?: string;
}

/**
 * Reads the EMF documents the layer wrote in local mode (`.local/metrics.jsonl`): the same metrics that
 * CloudWatch would aggregate, summed here over the window. A missing file is no data, not an error.
 */
export function fileVolumeReader(options: FileReaderOptions): VolumeReader {
  const source = `file:${path.relative(process.cwd(), options.file) || options.file}`;
  return {
    source,
    async read(window) {
      const volumes = emptyVolumes();
      let volumeDatapoints = 0;
      let alert: number | null = null;
      let upper: number | null = null;
      if (!existsSync(options.file)) {
        return {
          volumes,
          accuracy: accuracySignal(null, null, options.accuracyThresholdPct),
          volumeDatapoints,
          source,
        };
      }
      const expected = accuracyDimensions(options.serviceName, options.partition);
      const lines = createInterface({ input: createReadStream(options.file, 'utf8'), crlfDelay: Infinity });
      const start = window.start.getTime();
      const accuracyStart = window.accuracyStart.getTime();
      const end = window.end.getTime();
      for await (const line of lines) {
        if (!line.includes(METRICS_NAMESPACE)) continue;
        let document: Record<string, unknown>;
        try {
          document = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        const aws = document._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
        const timestamp = typeof aws?.Timestamp === 'number' ? aws.Timestamp : Number.NaN;
        if (!(timestamp >= accuracyStart && timestamp < end)) continue;
        const directives = Array.isArray(aws?.CloudWatchMetrics) ? aws.CloudWatchMetrics : [];
        const directive = directives[0] as { Namespace?: unknown; Dimensions?: unknown } | undefined;
        if (directive?.Namespace !== METRICS_NAMESPACE) continue;
        if (document.Service !== undefined && document.Service !== options.serviceName) continue;
        const dimensionSet = (Array.isArray(directive.Dimensions) ? directive.Dimensions[0] : undefined) as
          | string[]
          | undefined;
        const category = document.Category;
        if (typeof category === 'string' && (SAMPLING_CATEGORIES as readonly string[]).includes(category)) {
          if (timestamp < start) continue;
          for (const [field, metricName] of VOLUME_FIELDS) {
            const sum = sumValues(document[metricName]);
            if (sum === null) continue;
            volumes[category as SamplingCategory][field] += sum;
            volumeDatapoints += 1;
          }
          continue;
        }
        // The overall accuracy figures of the partition: exactly its dimension set (not Model, Symbol or Run).
        if (dimensionSet && sameDimensions(dimensionSet, document, expected)) {
          const alertValues = document[AccuracyMetric.ALERT];
          const upperValues = document[AccuracyMetric.UPPER_BOUND];
          for (const v of [alertValues].flat()) {
            if (typeof v === 'number' && Number.isFinite(v)) alert = alert === null ? v : Math.max(alert, v);
          }
          for (const v of [upperValues].flat()) {
            if (typeof v === 'number' && Number.isFinite(v)) upper = upper === null ? v : Math.min(upper, v);
          }
        }
      }
      return {
        volumes,
        accuracy: accuracySignal(alert, upper, options.accuracyThresholdPct),
        volumeDatapoints,
        source,
      };
    },
  };
}

/**
 * Volumes the caller measured itself (observability-demo: the layer's per-category flush statistics of
 * its own run), for callers without CloudWatch or the local file. The window is the caller's.
 */
export function staticVolumeReader(
  volumes: WindowVolumes,
  accuracy: AccuracySignal = { degraded: false, alert: null, upperBoundPct: null },
  source = 'provided',
): VolumeReader {
  const datapoints = Object.values(volumes).filter(
    (v) => v && ((v.startedSpans ?? 0) > 0 || (v.startedBytes ?? 0) > 0),
  ).length;
  return {
    source,
    read: async () => ({ volumes, accuracy, volumeDatapoints: datapoints, source }),
  };
}

/** Whether an EMF document's dimension set and values are exactly `expected`. */
function sameDimensions(
  names: readonly string[],
  document: Record<string, unknown>,
  expected: Readonly<Record<string, string>>,
): boolean {
  const keys = Object.keys(expected);
  return (
    names.length === keys.length &&
    keys.every((key) => names.includes(key) && document[key] === expected[key])
  );
}
