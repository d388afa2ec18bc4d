import { Attr } from '@trading-observability/otel';
import { DataPartition, PARTITION_ATTRIBUTE } from '../partition';

/**
 * SQL fragments over SigNoz's traces table. Every widget query reads
 * `signoz_traces.distributed_signoz_index_v3` with SigNoz's reserved time variables
 * (`$start_datetime`/`$end_datetime` are `toDateTime(<s>)`, `$start_timestamp`/`$end_timestamp`
 * are seconds), plus the `ts_bucket_start` bound that lets ClickHouse prune granules: the table
 * is ordered by `ts_bucket_start` (span start floored to 1800 s), so a span that starts in the
 * window has a bucket start no earlier than `$start_timestamp - 1800`. The service is selected as
 * SigNoz's own query builder does, by resource fingerprint from `distributed_traces_v3_resource`
 * (the sort key's second column), and the data partition by the spans' `data.partition`.
 */

/** Span attribute keys the dashboards read: the layer's `Attr`, the one contract shared with the handlers. */
export { Attr };

/** Resource attribute keys (in `resources_string`). */
export const ResourceAttr = {
  SERVICE_NAME: 'service.name',
  FAAS_NAME: 'faas.name',
} as const;

export const SPANS_TABLE = 'signoz_traces.distributed_signoz_index_v3';

/** One row per (resource, 30-minute bucket) the exporter has seen: SigNoz's resource pre-filter. */
export const RESOURCES_TABLE = 'signoz_traces.distributed_traces_v3_resource';

/** Bucket width of `ts_bucket_start` in SigNoz's exporter (`distributedTracesResourceV2Seconds`). */
export const TS_BUCKET_SECONDS = 1800;

export const TIME_FILTER =
  'timestamp BETWEEN $start_datetime AND $end_datetime' +
  ` AND ts_bucket_start BETWEEN $start_timestamp - ${TS_BUCKET_SECONDS} AND $end_timestamp`;

/**
 * Time bucket for series that stays readable from 1 hour to 90 days: 1 min up to 6 h,
 * 15 min up to 2 days, 1 h up to 14 days, then 1 day (≤ 90 points over 90 days).
 */
export const TIME_BUCKET =
  'toStartOfInterval(timestamp, toIntervalSecond(multiIf(' +
  '$end_timestamp - $start_timestamp <= 21600, 60, ' +
  '$end_timestamp - $start_timestamp <= 172800, 900, ' +
  '$end_timestamp - $start_timestamp <= 1209600, 3600, 86400)))';

export type AttributeMap = 'attributes_string' | 'attributes_number' | 'attributes_bool' | 'resources_string';

const read = (map: AttributeMap, key: string): string => `${map}['${key}']`;

export const str = (key: string): string => read('attributes_string', key);
export const num = (key: string): string => read('attributes_number', key);
export const bool = (key: string): string => read('attributes_bool', key);
export const resource = (key: string): string => read('resources_string', key);
export const has = (map: AttributeMap, key: string): string => `mapContains(${map}, '${key}')`;

/**
 * Inverse inclusion probability (Horvitz–Thompson weight) of a span: each exported span stands for
 * 1/p spans. Spans without a (valid) probability were not sampled and count once.
 */
export const WEIGHT =
  `if(${has('attributes_number', Attr.SAMPLING_PROBABILITY)} AND ${num(Attr.SAMPLING_PROBABILITY)} > 0, ` +
  `1 / ${num(Attr.SAMPLING_PROBABILITY)}, 1)`;

/** `x IN $variable` for a multi-select QUERY variable (SigNoz substitutes `['a','b']`; ALL = every option). */
export const inVariable = (expression: string, variable: string): string => `${expression} IN $${variable}`;

/** Guarded conditions: a span-name filter plus `mapContains` for each attribute the query reads. */
export const spanIs = (name: string): string => `name = '${name}'`;

/** Joins WHERE conditions. */
export const and = (...conditions: readonly string[]): string => conditions.join('\n  AND ');

/** NaN/Inf (an average over nothing) reads as NULL, which SigNoz shows as "no data". */
export const finiteOrNull = (expression: string): string =>
  `if(isFinite(toFloat64(ifNull(${expression}, nan))), ${expression}, NULL)`;

/** Score at or above which an analysis is an opportunity (the spec's default threshold). */
export const OPPORTUNITY_SCORE_THRESHOLD = 70;
/** Directional hit rate below which the accuracy alert fires. */
export const HIT_RATE_TARGET_PCT = 60;
/** The optimizer's default daily tracing budget (USD). */
export const DAILY_BUDGET_USD = 60;

/** Seconds bounds of a range: widget queries get `$start_timestamp`; variable queries get it as a float. */
export interface RangeBounds {
  readonly start: string;
  readonly end: string;
}
const WIDGET_RANGE: RangeBounds = { start: '$start_timestamp', end: '$end_timestamp' };
/** SigNoz substitutes a variable query's `$start_timestamp` with Go's `%f` (1764000000.000000). */
export const VARIABLE_RANGE: RangeBounds = {
  start: 'toUInt64($start_timestamp)',
  end: 'toUInt64($end_timestamp)',
};

/**
 * The platform's spans (`$service`, a textbox variable), as SigNoz's query builder selects a resource:
 * the fingerprints whose labels hold the service in the range's buckets (`labels LIKE` lets the
 * table's n-gram index skip granules), then `resource_fingerprint GLOBAL IN` them, which the spans
 * table's sort key (ts_bucket_start, resource_fingerprint, …) prunes by, instead of reading
 * `resources_string` row by row (pkg/statementbuilder/resourcefilter in SigNoz).
 */
export const serviceResources = (range: RangeBounds = WIDGET_RANGE): string =>
  'resource_fingerprint GLOBAL IN (' +
  `SELECT fingerprint FROM ${RESOURCES_TABLE}` +
  ` WHERE simpleJSONExtractString(labels, '${ResourceAttr.SERVICE_NAME}') = $service` +
  ` AND labels LIKE '%${ResourceAttr.SERVICE_NAME}%'` +
  ` AND labels LIKE concat('%${ResourceAttr.SERVICE_NAME}":"', $service, '%')` +
  ` AND seen_at_ts_bucket_start >= ${range.start} - ${TS_BUCKET_SECONDS}` +
  ` AND seen_at_ts_bucket_start <= ${range.end})`;

/** The spans of the selected data partition (`$partition`); spans from before partitions existed are live. */
export const IN_PARTITION = `if(${has('attributes_string', PARTITION_ATTRIBUTE)}, ${str(PARTITION_ATTRIBUTE)}, '${DataPartition.LIVE}') = $partition`;

/** The spans every widget reads: the range, the service's resources, the partition. */
export const PLATFORM_SPANS = and(TIME_FILTER, serviceResources(), IN_PARTITION);

/**
 * Orders rows for a weighted random sample without replacement (Efraimidis–Spirakis): each span keeps
 * the key u^(1/w), u uniform from its span id's hash, w = 1/sampling.probability, and the `LIMIT`
 * keeps the largest keys. Histograms then show the estimated true distribution across the whole range
 * (not the oldest spans of it), the same on every refresh.
 */
export const WEIGHTED_SAMPLE_ORDER = `pow((toFloat64(cityHash64(span_id)) + 1) / 18446744073709551617, 1 / ${WEIGHT}) DESC`;

/** Rows a histogram panel reads at most. */
export const HISTOGRAM_SAMPLE_ROWS = 20_000;
