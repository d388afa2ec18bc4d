import { scrubText } from '@trading-observability/otel';
import { AccuracyAlertDefaults, CalibrationAlertDefaults } from './accuracy/alert-defaults';
import { FailureCode, TradingObservabilityError } from './errors';
import { DataPartition } from './partition';
import { modelSchema, symbolSchema } from './schemas';
import * as z from './zod';

/** Environment variables set by the CDK stack (lib/) and by the local runner (scripts/local/). */
export const EnvVar = {
  MARKET_TABLE: 'MARKET_TABLE',
  RANKINGS_TABLE: 'RANKINGS_TABLE',
  SAMPLING_CONFIG_TABLE: 'SAMPLING_CONFIG_TABLE',
  DYNAMODB_ENDPOINT: 'DYNAMODB_ENDPOINT',
  DATA_NAMESPACE: 'DATA_NAMESPACE',
  MATCH_TOLERANCE_MINUTES: 'MATCH_TOLERANCE_MINUTES',
  MIN_SAMPLE_FOR_ALERT: 'MIN_SAMPLE_FOR_ALERT',
  ACCURACY_ALERT_THRESHOLD: 'ACCURACY_ALERT_THRESHOLD',
  METRIC_SYMBOL_WATCHLIST: 'METRIC_SYMBOL_WATCHLIST',
  METRIC_MODEL_WATCHLIST: 'METRIC_MODEL_WATCHLIST',
  METRIC_DIMENSION_CAP: 'METRIC_DIMENSION_CAP',
  CALIBRATION_ALERT_ECE: 'CALIBRATION_ALERT_ECE',
  MIN_SAMPLE_FOR_CALIBRATION_ALERT: 'MIN_SAMPLE_FOR_CALIBRATION_ALERT',
  TRACING_BUDGET_PER_DAY: 'TRACING_BUDGET_PER_DAY',
  TRACING_PRICE_PER_GB: 'TRACING_PRICE_PER_GB',
  RAW_TTL_DAYS: 'RAW_TTL_DAYS',
  SUMMARY_TTL_DAYS: 'SUMMARY_TTL_DAYS',
} as const;

/** A variable the function cannot run with: the message names it. */
export class ConfigError extends TradingObservabilityError {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.CONFIG_INVALID, message, options);
  }
}

/**
 * One discipline for every function's configuration: a zod schema keyed by variable name, each value
 * required or defaulted on purpose, read once; an empty value is unset; a bad value throws `ConfigError`
 * naming the variable (a misconfigured function fails loudly, and its error alarm says so).
 */
export function parseEnvironment<Schema extends z.ZodMiniObject>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): z.output<Schema> {
  const names = Object.keys(schema.shape);
  const parsed = schema.safeParse(
    Object.fromEntries(names.map((name) => [name, env[name]?.trim() === '' ? undefined : env[name]])),
  );
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** A number in [min, max], `fallback` when unset. */
export const envNumber = (fallback: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.gte(min), z.lte(max)), fallback);

/** Watchlists: the only values that become metric dimensions (per symbol, per model). */
export const WatchlistDefaults = {
  SYMBOLS: ['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM'],
  /** No model by default: per-model metrics only for the models an operator names. */
  MODELS: [],
  /** Distinct values of one dimension per metric per call; more watched values than this are not emitted. */
  DIMENSION_CAP: 20,
  /** Upper bound of the cap (EMF allows 100 values per metric and document; CloudWatch bills per metric). */
  MAX_DIMENSION_CAP: 100,
} as const;

/**
 * A comma-separated watchlist: each entry must be a valid symbol (or model id) and survive the PII scrubber
 * unchanged, since it becomes a metric dimension value.
 */
const watchlist = (
  entry: typeof symbolSchema,
  fallback: readonly string[],
  normalise: (value: string) => string,
) =>
  z.pipe(
    z.pipe(
      z._default(z.string(), fallback.join(',')),
      z.transform((list: string) => list.split(',').map(normalise).filter(Boolean)),
    ),
    z.pipe(
      z
        .array(
          entry.check(
            z.refine((value: string) => scrubText(value) === value, {
              message: 'looks like personal data (the PII scrubber would change it); not a dimension value',
            }),
          ),
        )
        .check(z.maxLength(WatchlistDefaults.MAX_DIMENSION_CAP)),
      z.transform((list: string[]) => [...new Set(list)]),
    ),
  );

/** An integer in [min, max], `fallback` when unset. */
export const envInteger = (fallback: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);

const envSchema = z.object({
  [EnvVar.MARKET_TABLE]: z._default(z.string().check(z.minLength(3)), 'trading-observability-market'),
  [EnvVar.RANKINGS_TABLE]: z._default(z.string().check(z.minLength(3)), 'trading-observability-rankings'),
  [EnvVar.SAMPLING_CONFIG_TABLE]: z._default(
    z.string().check(z.minLength(3)),
    'trading-observability-sampling',
  ),
  [EnvVar.DYNAMODB_ENDPOINT]: z.optional(z.string().check(z.url())),
  [EnvVar.DATA_NAMESPACE]: z._default(
    z.string().check(z.regex(/^[a-z][a-z0-9-]{1,31}$/)),
    DataPartition.LIVE,
  ),
  [EnvVar.MATCH_TOLERANCE_MINUTES]: envNumber(60, 0, 7 * 24 * 60),
  [EnvVar.MIN_SAMPLE_FOR_ALERT]: envNumber(AccuracyAlertDefaults.minSampleForAlert, 1, 1_000_000),
  [EnvVar.ACCURACY_ALERT_THRESHOLD]: envNumber(AccuracyAlertDefaults.alertThreshold, 0, 1),
  [EnvVar.CALIBRATION_ALERT_ECE]: envNumber(CalibrationAlertDefaults.eceThreshold, 0.001, 0.999),
  [EnvVar.MIN_SAMPLE_FOR_CALIBRATION_ALERT]: envNumber(
    CalibrationAlertDefaults.minSampleForAlert,
    1,
    1_000_000,
  ),
  [EnvVar.METRIC_SYMBOL_WATCHLIST]: watchlist(symbolSchema, WatchlistDefaults.SYMBOLS, (symbol) =>
    symbol.trim().toUpperCase(),
  ),
  [EnvVar.METRIC_MODEL_WATCHLIST]: watchlist(modelSchema, WatchlistDefaults.MODELS, (model) => model.trim()),
  [EnvVar.METRIC_DIMENSION_CAP]: envInteger(
    WatchlistDefaults.DIMENSION_CAP,
    1,
    WatchlistDefaults.MAX_DIMENSION_CAP,
  ),
  [EnvVar.TRACING_BUDGET_PER_DAY]: envNumber(60, 0, 1_000_000),
  // SigNoz Cloud list price for traces with 30-day retention (signoz.io/pricing, 2025): $0.40 per GB ingested.
  [EnvVar.TRACING_PRICE_PER_GB]: envNumber(0.4, 0, 1000),
  [EnvVar.RAW_TTL_DAYS]: envNumber(30, 1, 3650),
  [EnvVar.SUMMARY_TTL_DAYS]: envNumber(400, 90, 3650),
});

export interface AppConfig {
  readonly marketTable: string;
  readonly rankingsTable: string;
  readonly samplingConfigTable: string;
  readonly dynamoEndpoint: string | undefined;
  readonly namespace: string;
  readonly matchToleranceMinutes: number;
  readonly minSampleForAlert: number;
  readonly accuracyAlertThreshold: number;
  readonly metricSymbolWatchlist: readonly string[];
  readonly metricModelWatchlist: readonly string[];
  /** Distinct values per dimension per metric per call (watched symbols, watched models). */
  readonly metricDimensionCap: number;
  /** ECE above which a group's calibration alert holds (0–1). */
  readonly calibrationAlertEce: number;
  readonly minSampleForCalibrationAlert: number;
  readonly tracingBudgetPerDay: number;
  readonly tracingPricePerGb: number;
  readonly rawTtlDays: number;
  readonly summaryTtlDays: number;
}

/** Reads and validates the function's configuration; a bad value fails loudly with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const values = parseEnvironment(envSchema, env);
  return {
    marketTable: values.MARKET_TABLE,
    rankingsTable: values.RANKINGS_TABLE,
    samplingConfigTable: values.SAMPLING_CONFIG_TABLE,
    dynamoEndpoint: values.DYNAMODB_ENDPOINT,
    namespace: values.DATA_NAMESPACE,
    matchToleranceMinutes: values.MATCH_TOLERANCE_MINUTES,
    minSampleForAlert: values.MIN_SAMPLE_FOR_ALERT,
    accuracyAlertThreshold: values.ACCURACY_ALERT_THRESHOLD,
    metricSymbolWatchlist: values.METRIC_SYMBOL_WATCHLIST,
    metricModelWatchlist: values.METRIC_MODEL_WATCHLIST,
    metricDimensionCap: values.METRIC_DIMENSION_CAP,
    calibrationAlertEce: values.CALIBRATION_ALERT_ECE,
    minSampleForCalibrationAlert: values.MIN_SAMPLE_FOR_CALIBRATION_ALERT,
    tracingBudgetPerDay: values.TRACING_BUDGET_PER_DAY,
    tracingPricePerGb: values.TRACING_PRICE_PER_GB,
    rawTtlDays: values.RAW_TTL_DAYS,
    summaryTtlDays: values.SUMMARY_TTL_DAYS,
  };
}
