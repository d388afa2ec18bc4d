/**
 * @trading-observability/otel — the telemetry module shipped in the Lambda layer.
 * Functions import it and mark it external; at run time it resolves from /opt/nodejs/node_modules.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import type { Dimensions, MetricUnit } from './metrics';
import { getTelemetry } from './telemetry';

export type { Attributes, Span } from '@opentelemetry/api';
export { SpanStatusCode } from '@opentelemetry/api';
export { BreakerState, CircuitBreaker } from './circuit-breaker';
export {
  DiagnosticLevel,
  type LoadedTelemetryConfig,
  LogLevel,
  loadTelemetryConfig,
  readTelemetryConfig,
  type TelemetryConfig,
  TracesSampler,
} from './config';
export * from './constants';
export { TelemetryError, TelemetryErrorCode } from './errors';
export { extractKey, INGESTION_KEY_CACHE_TTL_MS, IngestionKeyError } from './ingestion-key';
export {
  type InstrumentOptions,
  instrument,
  type LambdaHandler,
  type ResultOutcome,
  UNKNOWN_ACTION,
} from './instrument';
export { describeError, Logger } from './logger';
export { EMF_LIMITS, Metrics, MetricUnit } from './metrics';
export { encodeTraceRequest, type OtlpTraceRequest } from './otlp-json';
export { isSensitiveKey, REDACTED, scrubText, scrubValue } from './pii';
export * from './sampling';
export {
  currentScope,
  mergeScopes,
  scopedNow,
  type TelemetryScope,
  withTelemetryScope,
} from './scope';
export { MemorySink } from './sink';
export {
  type FlushReport,
  getTelemetry,
  initTelemetry,
  Telemetry,
  type TelemetryOverrides,
} from './telemetry';
export { ExportError } from './transport';

/** The current logger (delegates, so `initTelemetry` in tests and local runs takes effect). */
export const logger = {
  debug: (message: string, context?: Record<string, unknown>) =>
    getTelemetry().logger.debug(message, context),
  info: (message: string, context?: Record<string, unknown>) => getTelemetry().logger.info(message, context),
  warn: (message: string, context?: Record<string, unknown>) => getTelemetry().logger.warn(message, context),
  error: (message: string, context?: Record<string, unknown> | Error, error?: unknown) =>
    getTelemetry().logger.error(message, context, error),
} as const;

/** Records a CloudWatch metric (EMF), written when the invocation flushes. */
export const metrics = {
  add: (name: string, unit: MetricUnit, value: number, dimensions?: Dimensions) =>
    getTelemetry().metrics.add(name, unit, value, dimensions),
} as const;

/** Runs `fn` in a child span of the current one. */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  return getTelemetry().withSpan(name, attributes, fn);
}
