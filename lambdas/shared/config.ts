import { DataPartition } from './partition';
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
  OPPORTUNITY_THRESHOLD: 'OPPORTUNITY_THRESHOLD',
  TRACING_BUDGET_PER_DAY: 'TRACING_BUDGET_PER_DAY',
  TRACING_PRICE_PER_GB: 'TRACING_PRICE_PER_GB',
  RAW_TTL_DAYS: 'RAW_TTL_DAYS',
  SUMMARY_TTL_DAYS: 'SUMMARY_TTL_DAYS',
} as const;

export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

const number = (fallback: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.gte(min), z.lte(max)), fallback);

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
  [EnvVar.MATCH_TOLERANCE_MINUTES]: number(60, 0, 7 * 24 * 60),
  [EnvVar.MIN_SAMPLE_FOR_ALERT]: number(30, 1, 1_000_000),
  [EnvVar.ACCURACY_ALERT_THRESHOLD]: number(0.6, 0, 1),
  [EnvVar.METRIC_SYMBOL_WATCHLIST]: z.pipe(
    z._default(z.string(), 'AAPL,MSFT,AMZN,GOOG,IBM'),
    z.transform((list: string) =>
      list
        .split(',')
        .map((symbol) => symbol.trim().toUpperCase())
        .filter(Boolean),
    ),
  ),
  [EnvVar.OPPORTUNITY_THRESHOLD]: number(70, 0, 100),
  [EnvVar.TRACING_BUDGET_PER_DAY]: number(60, 0, 1_000_000),
  // SigNoz Cloud list price for traces with 30-day retention (signoz.io/pricing, 2025): $0.40 per GB ingested.
  [EnvVar.TRACING_PRICE_PER_GB]: number(0.4, 0, 1000),
  [EnvVar.RAW_TTL_DAYS]: number(30, 1, 3650),
  [EnvVar.SUMMARY_TTL_DAYS]: number(400, 90, 3650),
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
  readonly opportunityThreshold: number;
  readonly tracingBudgetPerDay: number;
  readonly tracingPricePerGb: number;
  readonly rawTtlDays: number;
  readonly summaryTtlDays: number;
}

/** Reads and validates the function's configuration; a bad value fails loudly with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.values(EnvVar).map((name) => [name, env[name] === '' ? undefined : env[name]])),
  );
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${detail}`, { cause: parsed.error });
  }
  const values = parsed.data;
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
    opportunityThreshold: values.OPPORTUNITY_THRESHOLD,
    tracingBudgetPerDay: values.TRACING_BUDGET_PER_DAY,
    tracingPricePerGb: values.TRACING_PRICE_PER_GB,
    rawTtlDays: values.RAW_TTL_DAYS,
    summaryTtlDays: values.SUMMARY_TTL_DAYS,
  };
}
