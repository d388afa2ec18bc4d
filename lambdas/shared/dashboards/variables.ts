import { queryVariable, textboxVariable, type VariableSpec } from './builder';
import { Attr, SPANS_TABLE, SpanName, str, TS_BUCKET_SECONDS } from './sql';

/**
 * Dashboard variables. Variable queries look back 90 days from now() rather than using the
 * dashboard's time variables, so the option lists are complete for any selected range (SigNoz
 * keeps traces 15 days by default; the bound only caps the scan).
 */
const LOOKBACK =
  'timestamp >= now() - INTERVAL 90 DAY' +
  ` AND ts_bucket_start >= toUInt64(toUnixTimestamp(now() - INTERVAL 90 DAY)) - ${TS_BUCKET_SECONDS}`;

const distinctValues = (column: string, key: string, names: readonly string[]): string => `
  SELECT DISTINCT ${str(key)} AS ${column}
  FROM ${SPANS_TABLE}
  WHERE name IN (${names.map((n) => `'${n}'`).join(', ')})
    AND mapContains(attributes_string, '${key}')
    AND ${LOOKBACK}
  ORDER BY ${column}`;

export const VariableName = {
  SERVICE: 'service',
  SYMBOL: 'symbol',
  MODEL: 'model',
  CATEGORY: 'category',
  PRICE_PER_GB: 'price_per_gb',
} as const;

/** The service.name the platform's functions report (OTEL_SERVICE_NAME). */
export const DEFAULT_SERVICE_NAME = 'stock_analytics';

export const serviceVariable: VariableSpec = textboxVariable({
  name: VariableName.SERVICE,
  description: "The platform's service.name (resource attribute); change it if OTEL_SERVICE_NAME differs.",
  defaultValue: DEFAULT_SERVICE_NAME,
});

export const symbolVariable: VariableSpec = queryVariable({
  name: VariableName.SYMBOL,
  description: 'Ticker symbols (finance.symbol). ALL selects every symbol seen in the last 90 days.',
  sql: distinctValues(VariableName.SYMBOL, Attr.SYMBOL, [
    SpanName.VALIDATE_PREDICTION,
    SpanName.OPPORTUNITY_ANALYSIS,
  ]),
});

export const modelVariable: VariableSpec = queryVariable({
  name: VariableName.MODEL,
  description: 'Prediction models (ml.model). ALL selects every model seen in the last 90 days.',
  sql: distinctValues(VariableName.MODEL, Attr.MODEL, [SpanName.VALIDATE_PREDICTION]),
});

export const categoryVariable: VariableSpec = queryVariable({
  name: VariableName.CATEGORY,
  description: 'Sampling categories (sampling.category) of exported spans.',
  sql: `
    SELECT DISTINCT ${str(Attr.SAMPLING_CATEGORY)} AS ${VariableName.CATEGORY}
    FROM ${SPANS_TABLE}
    WHERE mapContains(attributes_string, '${Attr.SAMPLING_CATEGORY}')
      AND ${LOOKBACK}
    ORDER BY ${VariableName.CATEGORY}`,
});

/** SigNoz Cloud's list price for traces (USD per GB ingested), the optimizer's default too. */
export const DEFAULT_PRICE_PER_GB = '0.40';

export const pricePerGbVariable: VariableSpec = textboxVariable({
  name: VariableName.PRICE_PER_GB,
  description: 'Trace ingest price in USD per GB, used to project cost from span volume.',
  defaultValue: DEFAULT_PRICE_PER_GB,
});

/** `$price_per_gb` as a number: SigNoz substitutes a textbox value as a quoted string. */
export const PRICE_PER_GB_SQL = `ifNull(toFloat64OrNull(toString($${VariableName.PRICE_PER_GB})), ${DEFAULT_PRICE_PER_GB})`;
