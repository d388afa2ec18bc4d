/** Names shared by the layer, the functions, the optimizer, the dashboards and the alarms. */

/** The name under which the layer's bundle is installed in `/opt/nodejs/node_modules`. */
export const LAYER_MODULE_NAME = '@trading-observability/otel' as const;

/** The HTTP header that carries the SigNoz ingestion key on an OTLP export. */
export const INGESTION_KEY_HEADER = 'signoz-ingestion-key' as const;

/** CloudWatch namespace of every metric this product emits. */
export const METRICS_NAMESPACE = 'TradingObservability' as const;

/** Span attribute keys (the spec's contract; dashboards query them by these names). */
export const Attr = {
  SYMBOL: 'finance.symbol',
  MODEL: 'ml.model',
  CONFIDENCE: 'ml.confidence',
  PRICE_ERROR_PCT: 'ml.accuracy.price_error_pct',
  DIRECTION_HIT: 'ml.accuracy.direction_hit',
  OPPORTUNITY_SCORE: 'opportunity_score',
  /** Realised return (%) of a validated prediction, and the return it predicted (both from basePrice). */
  ACTUAL_RETURN_PCT: 'ml.actual_return_pct',
  PREDICTED_RETURN_PCT: 'ml.predicted_return_pct',
  /** Realised return (%) of the signal behind an opportunity analysis (predicted direction × actual return). */
  SIGNAL_RETURN_PCT: 'trading.signal_return_pct',
  /** Whether the analysis scored at or above the opportunity threshold. */
  IS_OPPORTUNITY: 'trading.is_opportunity',
  /** The optimizer's projected tracing cost (USD/day) and its budget. */
  ESTIMATED_COST_PER_DAY: 'sampling.estimated_cost_per_day',
  BUDGET_PER_DAY: 'sampling.budget_per_day',
  MARKET_SESSION: 'market.session',
  NOTIONAL: 'finance.notional',
  ALERT: 'alert.fired',
  SAMPLING_PROBABILITY: 'sampling.probability',
  SAMPLING_CATEGORY: 'sampling.category',
  SAMPLING_KEPT_REASON: 'sampling.kept_reason',
  /** A positive number keeps the span's trace whole (OpenTracing's convention), e.g. the optimizer's own runs. */
  SAMPLING_PRIORITY: 'sampling.priority',
  FAAS_COLDSTART: 'faas.coldstart',
  FAAS_INVOCATION_ID: 'faas.invocation_id',
  FAAS_TRIGGER: 'faas.trigger',
  ACTION: 'app.action',
  RESULT_OK: 'app.result.ok',
  ERROR_CODE: 'app.error.code',
} as const;

/** Metric names the layer emits for every invocation (per sampling category). */
export const VolumeMetric = {
  SPANS_STARTED: 'SpansStarted',
  SPANS_EXPORTED: 'SpansExported',
  SPAN_BYTES_STARTED: 'SpanBytesStarted',
  SPAN_BYTES_EXPORTED: 'SpanBytesExported',
  EXPORT_FAILURES: 'TelemetryExportFailures',
} as const;

/**
 * Environment variables the layer reads (all optional; the schema and defaults are in `config.ts`):
 * the OpenTelemetry standard's names, and project names only for what the standard does not cover.
 */
export const TelemetryEnv = {
  SDK_DISABLED: 'OTEL_SDK_DISABLED',
  SERVICE_NAME: 'OTEL_SERVICE_NAME',
  RESOURCE_ATTRIBUTES: 'OTEL_RESOURCE_ATTRIBUTES',
  OTLP_ENDPOINT: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  OTLP_TRACES_ENDPOINT: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  OTLP_HEADERS: 'OTEL_EXPORTER_OTLP_HEADERS',
  OTLP_TRACES_HEADERS: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  OTLP_TIMEOUT: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  OTLP_TRACES_TIMEOUT: 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT',
  TRACES_SAMPLER: 'OTEL_TRACES_SAMPLER',
  TRACES_SAMPLER_ARG: 'OTEL_TRACES_SAMPLER_ARG',
  OTEL_LOG_LEVEL: 'OTEL_LOG_LEVEL',
  // Project names: what the standard has no variable for.
  MODE: 'TELEMETRY_MODE',
  INGESTION_KEY_SECRET: 'SIGNOZ_INGESTION_KEY_SECRET',
  LOCAL_SPANS_FILE: 'TELEMETRY_LOCAL_SPANS_FILE',
  LOCAL_METRICS_FILE: 'TELEMETRY_LOCAL_METRICS_FILE',
  LOG_LEVEL: 'LOG_LEVEL',
  SAMPLING_CONFIG_TABLE: 'SAMPLING_CONFIG_TABLE',
  PII_SCRUBBING_ENABLED: 'TELEMETRY_PII_SCRUBBING_ENABLED',
  METRICS_ENABLED: 'TELEMETRY_METRICS_ENABLED',
  BREAKER_FAILURE_THRESHOLD: 'TELEMETRY_BREAKER_FAILURES',
  BREAKER_COOLDOWN_MS: 'TELEMETRY_BREAKER_COOLDOWN_MS',
} as const;

/**
 * Former project names of standard settings: still read (after the standard name, with a warning) for
 * one release, then removed.
 */
export const DeprecatedTelemetryEnv = {
  /** → OTEL_EXPORTER_OTLP_ENDPOINT (a base URL, `/v1/traces` appended, as before). */
  OTLP_ENDPOINT: 'SIGNOZ_OTLP_ENDPOINT',
  /** → `deployment.environment.name` in OTEL_RESOURCE_ATTRIBUTES. */
  ENVIRONMENT: 'DEPLOYMENT_ENVIRONMENT',
  /** → `service.version` in OTEL_RESOURCE_ATTRIBUTES. */
  SERVICE_VERSION: 'SERVICE_VERSION',
  /** → OTEL_EXPORTER_OTLP_TIMEOUT. */
  EXPORT_TIMEOUT_MS: 'TELEMETRY_EXPORT_TIMEOUT_MS',
  /** → OTEL_TRACES_SAMPLER=always_on (for `false`). */
  SAMPLING_ENABLED: 'TELEMETRY_SAMPLING_ENABLED',
} as const;

export const TelemetryMode = {
  /** OTLP/HTTP export to SigNoz. */
  OTLP: 'otlp',
  /** Spans appended as OTLP JSON lines to a local file (local runs, demo, tests). */
  LOCAL: 'local',
  /** Spans recorded in memory only (unit tests); nothing leaves the process. */
  OFF: 'off',
} as const;
export type TelemetryMode = (typeof TelemetryMode)[keyof typeof TelemetryMode];
