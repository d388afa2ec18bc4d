import { TelemetryEnv, TelemetryMode } from './constants';

/** Everything the layer reads from the environment, read once by `loadTelemetryConfig()`. */
export interface TelemetryConfig {
  readonly mode: TelemetryMode;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  /** OTLP/HTTP base URL (the layer appends `/v1/traces`). */
  readonly otlpEndpoint: string | undefined;
  /** Secrets Manager id (name or ARN) of the SigNoz ingestion key. */
  readonly ingestionKeySecretId: string | undefined;
  /** Hard bound on one export (secret fetch included); no retries inside an invocation. */
  readonly exportTimeoutMs: number;
  readonly localSpansFile: string;
  readonly localMetricsFile: string;
  readonly logLevel: LogLevel;
  readonly samplingEnabled: boolean;
  readonly samplingConfigTable: string | undefined;
  readonly piiScrubbingEnabled: boolean;
  readonly metricsEnabled: boolean;
  readonly breakerFailureThreshold: number;
  readonly breakerCooldownMs: number;
}

export const LogLevel = {
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  ERROR: 'ERROR',
  SILENT: 'SILENT',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

const DEFAULTS = {
  serviceName: 'stock_analytics',
  serviceVersion: '0.1.0',
  environment: 'development',
  exportTimeoutMs: 800,
  localSpansFile: '.local/spans.jsonl',
  localMetricsFile: '.local/metrics.jsonl',
  breakerFailureThreshold: 3,
  breakerCooldownMs: 60_000,
} as const;

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['false', '0', 'off', 'no'].includes(value.trim().toLowerCase());
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? Math.floor(parsed) : fallback;
}

function mode(value: string | undefined, insideLambda: boolean): TelemetryMode {
  const normalised = value?.trim().toLowerCase();
  const known = Object.values(TelemetryMode) as string[];
  if (normalised && known.includes(normalised)) return normalised as TelemetryMode;
  // Inside Lambda the default is a real export; anywhere else nothing leaves the process unless asked.
  return insideLambda ? TelemetryMode.OTLP : TelemetryMode.OFF;
}

function logLevel(value: string | undefined): LogLevel {
  const upper = value?.trim().toUpperCase();
  return upper && upper in LogLevel ? (upper as LogLevel) : LogLevel.INFO;
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function loadTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  return {
    mode: mode(env[TelemetryEnv.MODE], Boolean(env.AWS_LAMBDA_FUNCTION_NAME)),
    serviceName: optional(env[TelemetryEnv.SERVICE_NAME]) ?? DEFAULTS.serviceName,
    serviceVersion: optional(env[TelemetryEnv.SERVICE_VERSION]) ?? DEFAULTS.serviceVersion,
    environment: optional(env[TelemetryEnv.ENVIRONMENT]) ?? DEFAULTS.environment,
    otlpEndpoint: optional(env[TelemetryEnv.OTLP_ENDPOINT]),
    ingestionKeySecretId: optional(env[TelemetryEnv.INGESTION_KEY_SECRET]),
    exportTimeoutMs: positiveInt(env[TelemetryEnv.EXPORT_TIMEOUT_MS], DEFAULTS.exportTimeoutMs),
    localSpansFile: optional(env[TelemetryEnv.LOCAL_SPANS_FILE]) ?? DEFAULTS.localSpansFile,
    localMetricsFile: optional(env.TELEMETRY_LOCAL_METRICS_FILE) ?? DEFAULTS.localMetricsFile,
    logLevel: logLevel(env[TelemetryEnv.LOG_LEVEL]),
    samplingEnabled: flag(env[TelemetryEnv.SAMPLING_ENABLED], true),
    samplingConfigTable: optional(env[TelemetryEnv.SAMPLING_CONFIG_TABLE]),
    piiScrubbingEnabled: flag(env[TelemetryEnv.PII_SCRUBBING_ENABLED], true),
    metricsEnabled: flag(env[TelemetryEnv.METRICS_ENABLED], true),
    breakerFailureThreshold: positiveInt(
      env[TelemetryEnv.BREAKER_FAILURE_THRESHOLD],
      DEFAULTS.breakerFailureThreshold,
    ),
    breakerCooldownMs: positiveInt(env[TelemetryEnv.BREAKER_COOLDOWN_MS], DEFAULTS.breakerCooldownMs),
  };
}
