import { Attr } from '../../../layers/otel/src/constants';

/**
 * SQL fragments over SigNoz's traces table. Every widget query reads
 * `signoz_traces.distributed_signoz_index_v3` with SigNoz's reserved time variables
 * (`$start_datetime`/`$end_datetime` are `toDateTime(<s>)`, `$start_timestamp`/`$end_timestamp`
 * are seconds), plus the `ts_bucket_start` bound that lets ClickHouse prune granules: the table
 * is ordered by `ts_bucket_start` (span start floored to 1800 s), so a span that starts in the
 * window has a bucket start no earlier than `$start_timestamp - 1800`.
 */

/** Span attribute keys the dashboards read: the layer's `Attr`, the one contract shared with the handlers. */
export { Attr };

/** Resource attribute keys (in `resources_string`). */
export const ResourceAttr = {
  SERVICE_NAME: 'service.name',
  FAAS_NAME: 'faas.name',
} as const;

/** Span names the dashboards filter on. */
export const SpanName = {
  VALIDATE_PREDICTION: 'ml.validate_prediction',
  VALIDATION_BATCH: 'ml.validation_batch',
  ACCURACY_SUMMARY: 'ml.accuracy_summary',
  OPPORTUNITY_ANALYSIS: 'trading.opportunity_analysis',
  SAMPLING_OPTIMIZE: 'sampling.optimize',
} as const;

export const SPANS_TABLE = 'signoz_traces.distributed_signoz_index_v3';

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

/** The platform's spans only (service.name is a resource attribute; `$service` is a textbox variable). */
export const SERVICE_FILTER = `${has('resources_string', ResourceAttr.SERVICE_NAME)} AND ${resource(ResourceAttr.SERVICE_NAME)} = $service`;
