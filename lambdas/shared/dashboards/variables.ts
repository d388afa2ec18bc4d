import { SpanName } from '../names/spans';
import { DataPartition } from '../partition';
import { customVariable, queryVariable, textboxVariable } from './builder';
import {
  Attr,
  and,
  IN_PARTITION,
  SPANS_TABLE,
  serviceResources,
  str,
  TS_BUCKET_SECONDS,
  VARIABLE_RANGE,
} from './sql';
import type { VariableDefinition } from './types';

/**
 * Dashboard variables. A variable query runs for the dashboard's selected range (SigNoz passes
 * `$start_timestamp`/`$end_timestamp` to variable queries, not `$start_datetime`), for the selected
 * service's resources and partition only: the option lists are those of the data on screen, and
 * the scan is bounded by the range's buckets and the service's fingerprints, not 90 days of every
 * service.
 */
const VARIABLE_SCOPE = and(
  serviceResources(VARIABLE_RANGE),
  `ts_bucket_start >= ${VARIABLE_RANGE.start} - ${TS_BUCKET_SECONDS}`,
  `ts_bucket_start <= ${VARIABLE_RANGE.end}`,
  `timestamp >= toDateTime(${VARIABLE_RANGE.start})`,
  `timestamp <= toDateTime(${VARIABLE_RANGE.end})`,
  IN_PARTITION,
);

const distinctValues = (column: string, key: string, names: readonly string[]): string => `
  SELECT DISTINCT ${str(key)} AS ${column}
  FROM ${SPANS_TABLE}
  WHERE ${and(
    VARIABLE_SCOPE,
    `name IN (${names.map((n) => `'${n}'`).join(', ')})`,
    `mapContains(attributes_string, '${key}')`,
  )}
  ORDER BY ${column}`;

export const VariableName = {
  SERVICE: 'service',
  PARTITION: 'partition',
  SYMBOL: 'symbol',
  MODEL: 'model',
  CATEGORY: 'category',
  PRICE_PER_GB: 'price_per_gb',
} as const;

/** The service.name the platform's functions report (OTEL_SERVICE_NAME). */
export const DEFAULT_SERVICE_NAME = 'stock_analytics';

export const serviceVariable: VariableDefinition = textboxVariable({
  name: VariableName.SERVICE,
  description: "The platform's service.name (resource attribute); change it if OTEL_SERVICE_NAME differs.",
  defaultValue: DEFAULT_SERVICE_NAME,
});

export const partitionVariable: VariableDefinition = customVariable({
  name: VariableName.PARTITION,
  description:
    "Data partition (span attribute data.partition): live is production's; demo is the observability-demo's " +
    'replayed days, which never mix with live figures.',
  options: [DataPartition.LIVE, DataPartition.DEMO],
  defaultValue: DataPartition.LIVE,
});

export const symbolVariable: VariableDefinition = queryVariable({
  name: VariableName.SYMBOL,
  description: 'Ticker symbols (finance.symbol) seen in the selected range. ALL selects every one.',
  sql: distinctValues(VariableName.SYMBOL, Attr.SYMBOL, [
    SpanName.VALIDATE_PREDICTION,
    SpanName.OPPORTUNITY_ANALYSIS,
  ]),
});

export const modelVariable: VariableDefinition = queryVariable({
  name: VariableName.MODEL,
  description: 'Prediction models (ml.model) seen in the selected range. ALL selects every one.',
  sql: distinctValues(VariableName.MODEL, Attr.MODEL, [SpanName.VALIDATE_PREDICTION]),
});

export const categoryVariable: VariableDefinition = queryVariable({
  name: VariableName.CATEGORY,
  description: 'Sampling categories (sampling.category) of the spans exported in the selected range.',
  sql: `
    SELECT DISTINCT ${str(Attr.SAMPLING_CATEGORY)} AS ${VariableName.CATEGORY}
    FROM ${SPANS_TABLE}
    WHERE ${and(VARIABLE_SCOPE, `mapContains(attributes_string, '${Attr.SAMPLING_CATEGORY}')`)}
    ORDER BY ${VariableName.CATEGORY}`,
});

/** SigNoz Cloud's list price for traces (USD per GB ingested), the optimizer's default too. */
export const DEFAULT_PRICE_PER_GB = '0.40';

export const pricePerGbVariable: VariableDefinition = textboxVariable({
  name: VariableName.PRICE_PER_GB,
  description: 'Trace ingest price in USD per GB, used to project cost from span volume.',
  defaultValue: DEFAULT_PRICE_PER_GB,
});

/** `$price_per_gb` as a number: SigNoz substitutes a textbox value as a quoted string. */
export const PRICE_PER_GB_SQL = `ifNull(toFloat64OrNull(toString($${VariableName.PRICE_PER_GB})), ${DEFAULT_PRICE_PER_GB})`;

/** The variables every dashboard starts with: which service, which data partition. */
export const SCOPE_VARIABLES: readonly VariableDefinition[] = [serviceVariable, partitionVariable];
