import {
  type Attributes,
  context,
  DiagLogLevel,
  diag,
  propagation,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CircuitBreaker } from './circuit-breaker';
import { DiagnosticLevel, readTelemetryConfig, type TelemetryConfig } from './config';
import { INGESTION_KEY_HEADER, METRICS_NAMESPACE, TelemetryMode, VolumeMetric } from './constants';
import { IngestionKeyCache, type SecretReader } from './ingestion-key';
import { Logger } from './logger';
import { Metrics, MetricUnit } from './metrics';
import { encodeTraceRequest, type OtlpTraceRequest } from './otlp-json';
import { buildResourceAttributes } from './resource';
import {
  configuredSampling,
  createSamplingConfigSource,
  type SamplingConfig,
  type SamplingConfigSource,
  selectForExport,
} from './sampling';
import { ScopeSpanProcessor } from './scope';
import { fileSink, type LineSink, MemorySink, stderrSink, stdoutSink } from './sink';
import { isAuthRefusal, postJson, preconnect } from './transport';

const SCOPE = { name: 'trading-observability', version: '0.1.0' } as const;

/** Keeps the ended spans of the current invocation; the sampler's final decision is made at flush. */
class InvocationSpanBuffer implements SpanProcessor {
  private spans: ReadableSpan[] = [];
  /** A runaway handler must not grow memory without bound: past this, spans are counted, not kept. */
  static readonly MAX_SPANS = 20_000;
  overflow = 0;

  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if (this.spans.length < InvocationSpanBuffer.MAX_SPANS) this.spans.push(span);
    else this.overflow += 1;
  }
  drain(): ReadableSpan[] {
    const drained = this.spans;
    this.spans = [];
    this.overflow = 0;
    return drained;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {
    this.spans = [];
  }
}

/** Test and local-run hooks; production uses the defaults read from the environment. */
export interface TelemetryOverrides {
  readonly config?: Partial<TelemetryConfig>;
  readonly secretReader?: SecretReader;
  readonly logSink?: LineSink;
  readonly metricsSink?: LineSink;
  /** Receives one OTLP JSON request per flush in `off` mode (tests read exported spans from it). */
  readonly spanSink?: LineSink;
  readonly samplingConfigSource?: SamplingConfigSource;
}

export interface FlushReport {
  readonly recorded: number;
  readonly exported: number;
  readonly outcome: 'exported' | 'written' | 'kept_in_memory' | 'nothing' | 'skipped_breaker_open' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

/** The layer's state for one Lambda execution environment (created once, at cold init). */
export class Telemetry {
  readonly config: TelemetryConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  readonly breaker: CircuitBreaker;
  readonly resource: Attributes;
  private readonly provider: BasicTracerProvider;
  private readonly buffer = new InvocationSpanBuffer();
  private readonly sampling: SamplingConfigSource;
  /** The sampling configuration the sampler decides with (OTEL_TRACES_SAMPLER applied to the optimizer's). */
  private readonly samplingConfig: () => SamplingConfig;
  private readonly spanSink: LineSink | undefined;
  private readonly keyCache: IngestionKeyCache | undefined;
  lastFlush: FlushReport | undefined;

  constructor(overrides: TelemetryOverrides = {}) {
    const loaded = readTelemetryConfig();
    this.config = { ...loaded.config, ...overrides.config };
    const local = this.config.mode !== TelemetryMode.OTLP;
    this.logger = new Logger({
      service: this.config.serviceName,
      level: this.config.logLevel,
      sink: overrides.logSink ?? (local ? stderrSink : stdoutSink),
      scrub: this.config.piiScrubbingEnabled,
    });
    for (const warning of loaded.warnings) this.logger.warn(`telemetry configuration: ${warning}`);
    registerDiagnostics(this.logger, this.config.diagnosticLevel);
    this.metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      defaultDimensions: { Service: this.config.serviceName },
      sink: overrides.metricsSink ?? this.defaultMetricsSink(),
      enabled: this.config.metricsEnabled,
      scrub: this.config.piiScrubbingEnabled,
      warn: (message) => this.logger.warn(message),
    });
    this.breaker = new CircuitBreaker({
      failureThreshold: this.config.breakerFailureThreshold,
      cooldownMs: this.config.breakerCooldownMs,
    });
    this.resource = buildResourceAttributes(this.config);
    this.sampling =
      overrides.samplingConfigSource ??
      createSamplingConfigSource(
        this.config.samplingConfigTable ? { tableName: this.config.samplingConfigTable } : {},
      );
    this.spanSink =
      overrides.spanSink ??
      (this.config.mode === TelemetryMode.LOCAL ? fileSink(this.config.localSpansFile) : undefined);
    this.keyCache = this.config.ingestionKeySecretId
      ? new IngestionKeyCache(this.config.ingestionKeySecretId, overrides.secretReader)
      : undefined;
    const sampling = configuredSampling(this.config.tracesSampler, this.config.tracesSamplerRatio, () =>
      this.sampling.get(),
    );
    this.samplingConfig = sampling.samplingConfig;
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes(this.resource),
      sampler: sampling.sampler,
      // The scope's attributes and shift are applied at start, before the span can end in the buffer.
      spanProcessors: [new ScopeSpanProcessor(), this.buffer],
    });
    registerContextManager();
    trace.disable();
    trace.setGlobalTracerProvider(this.provider);
    this.tracer = this.provider.getTracer(SCOPE.name, SCOPE.version);
  }

  private defaultMetricsSink(): LineSink {
    if (this.config.mode === TelemetryMode.OTLP) return stdoutSink;
    if (this.config.mode === TelemetryMode.LOCAL) return fileSink(this.config.localMetricsFile);
    return new MemorySink();
  }

  /**
   * At cold init (`instrument()` calls it when the handler module loads): starts the sampling configuration
   * read and the ingestion key read, and opens the collector connection, so that the first invocation finds
   * them done or under way instead of paying their round trips one after the other. Only where spans leave
   * the process (OTLP mode).
   */
  warmUp(): void {
    if (this.config.mode !== TelemetryMode.OTLP) return;
    void this.sampling.refresh();
    if (!this.config.tracesEndpoint) return;
    this.keyCache?.prefetch(this.config.exportTimeoutMs);
    if (this.breaker.allows()) preconnect(this.config.tracesEndpoint);
  }

  /** At invocation start: refresh the optimizer's sampling configuration when its cache is stale. */
  async beginInvocation(): Promise<void> {
    await withDeadline(this.sampling.refresh(), Math.min(250, this.config.exportTimeoutMs)).catch(
      () => undefined,
    );
  }

  /** Runs `fn` inside a child span; errors are recorded on the span and rethrown. */
  async withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T> | T): Promise<T> {
    return this.tracer.startActiveSpan(name, { attributes }, async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        markError(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /**
   * Ends the invocation's telemetry: the sampler's final decision, volume metrics, EMF, and one span
   * export bounded by `exportTimeoutMs`. Never throws, never waits past the bound.
   */
  async flush(invocationResource: Attributes = {}): Promise<FlushReport> {
    const started = performance.now();
    const report = (outcome: FlushReport['outcome'], recorded: number, exported: number, error?: string) => {
      const flushed: FlushReport = {
        recorded,
        exported,
        outcome,
        durationMs: performance.now() - started,
        ...(error === undefined ? {} : { error }),
      };
      this.lastFlush = flushed;
      return flushed;
    };
    try {
      const spans = this.buffer.drain();
      const decision = selectForExport(spans, this.samplingConfig());
      for (const [category, stats] of Object.entries(decision.stats)) {
        if (stats.started === 0) continue;
        const dimensions = { Category: category };
        this.metrics.add(VolumeMetric.SPANS_STARTED, MetricUnit.COUNT, stats.started, dimensions);
        this.metrics.add(VolumeMetric.SPANS_EXPORTED, MetricUnit.COUNT, stats.exported, dimensions);
        this.metrics.add(VolumeMetric.SPAN_BYTES_STARTED, MetricUnit.BYTES, stats.startedBytes, dimensions);
        this.metrics.add(VolumeMetric.SPAN_BYTES_EXPORTED, MetricUnit.BYTES, stats.exportedBytes, dimensions);
      }
      if (decision.exported.length === 0) {
        this.metrics.flush();
        return report('nothing', spans.length, 0);
      }
      // In Lambda the resource already names the function; a local process serves several, so the
      // invocation supplies what the environment could not (the resource's own values win).
      const resource = { ...invocationResource, ...this.resource };
      const request = encodeTraceRequest(decision.exported, resource, SCOPE, this.config.piiScrubbingEnabled);
      const outcome = await this.deliver(request);
      if (outcome.error) this.metrics.add(VolumeMetric.EXPORT_FAILURES, MetricUnit.COUNT, 1);
      this.metrics.flush();
      return report(outcome.outcome, spans.length, decision.exported.length, outcome.error);
    } catch (error) {
      this.metrics.flush();
      return report('failed', 0, 0, (error as Error).message);
    }
  }

  private async deliver(
    request: OtlpTraceRequest,
  ): Promise<{ outcome: FlushReport['outcome']; error?: string }> {
    const body = JSON.stringify(request);
    const url = this.config.tracesEndpoint;
    if (this.config.mode !== TelemetryMode.OTLP || !url) {
      if (!this.spanSink) return { outcome: 'kept_in_memory' };
      this.spanSink.write(body);
      return { outcome: this.config.mode === TelemetryMode.LOCAL ? 'written' : 'kept_in_memory' };
    }
    if (!this.breaker.allows()) return { outcome: 'skipped_breaker_open' };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.config.exportTimeoutMs);
    try {
      await withDeadline(this.post(url, body, controller.signal), this.config.exportTimeoutMs);
      this.breaker.recordSuccess();
      return { outcome: 'exported' };
    } catch (error) {
      this.breaker.recordFailure();
      const message = (error as Error).message;
      this.logger.warn('telemetry export failed; the business call is unaffected', {
        error: message,
        breaker: this.breaker.state,
      });
      return { outcome: 'failed', error: message };
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  /**
   * One POST with the cached key; when the collector refuses it (401/403: the key was rotated), the key is
   * read again once and, if it changed, the POST is repeated once with the new key; otherwise the refusal
   * stands for this flush.
   */
  private async post(url: string, body: string, signal: AbortSignal): Promise<void> {
    // OTEL_EXPORTER_OTLP_(TRACES_)HEADERS; the key from Secrets Manager (rotated) wins over a static
    // header of the same name.
    const headers = this.config.exportHeaders;
    if (!this.keyCache) {
      await postJson(url, body, headers, signal);
      return;
    }
    const key = await this.keyCache.get(signal);
    try {
      await postJson(url, body, { ...headers, [INGESTION_KEY_HEADER]: key }, signal);
    } catch (error) {
      if (!isAuthRefusal(error)) throw error;
      const fresh = await this.keyCache.reread(key, signal);
      if (fresh === undefined) throw error;
      this.logger.info('the collector refused the cached ingestion key; exporting with the re-read key');
      await postJson(url, body, { ...headers, [INGESTION_KEY_HEADER]: fresh }, signal);
    }
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown().catch(() => undefined);
  }
}

export function markError(span: Span, error: unknown): void {
  try {
    const exception = error instanceof Error ? error : new Error(String(error));
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  } catch {
    // Telemetry never throws into business code.
  }
}

/** Resolves or rejects with `promise`, or rejects once `ms` have passed; the timer never keeps the process alive. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deadline of ${ms} ms exceeded`)), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const DIAGNOSTIC_LEVELS: Readonly<Record<DiagnosticLevel, DiagLogLevel>> = {
  [DiagnosticLevel.NONE]: DiagLogLevel.NONE,
  [DiagnosticLevel.ERROR]: DiagLogLevel.ERROR,
  [DiagnosticLevel.WARN]: DiagLogLevel.WARN,
  [DiagnosticLevel.INFO]: DiagLogLevel.INFO,
  [DiagnosticLevel.DEBUG]: DiagLogLevel.DEBUG,
  [DiagnosticLevel.VERBOSE]: DiagLogLevel.VERBOSE,
  [DiagnosticLevel.ALL]: DiagLogLevel.ALL,
};

/** OpenTelemetry's own diagnostics (OTEL_LOG_LEVEL) go to the layer's JSON logger. */
function registerDiagnostics(logger: Logger, level: DiagnosticLevel): void {
  diag.disable();
  if (level === DiagnosticLevel.NONE) return;
  const context = (args: unknown[]) => (args.length > 0 ? { details: args.map(String) } : undefined);
  diag.setLogger(
    {
      error: (message, ...args) => logger.error(message, context(args)),
      warn: (message, ...args) => logger.warn(message, context(args)),
      info: (message, ...args) => logger.info(message, context(args)),
      debug: (message, ...args) => logger.debug(message, context(args)),
      verbose: (message, ...args) => logger.debug(message, context(args)),
    },
    { logLevel: DIAGNOSTIC_LEVELS[level], suppressOverrideMessage: true },
  );
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/**
 * What NodeTracerProvider#register() sets besides the tracer provider: its context manager, OpenTelemetry's
 * AsyncLocalStorageContextManager (functions and event emitters bound; measured against the former
 * hand-written one: +0.7 to +1.8 ms of a whole cold start, under the 2 ms the design allowed), once (a second
 * registration would be refused by the API, so spans in flight keep their context across
 * `initTelemetry`) and the W3C trace-context + baggage propagator.
 */
function registerContextManager(): void {
  if (contextManager) return;
  contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
}

let current: Telemetry | undefined;

/** The execution environment's telemetry, created on first use (at the handler module's load). */
export function getTelemetry(): Telemetry {
  current ??= new Telemetry();
  return current;
}

/** Replaces the telemetry (tests, local runner): reads config again and applies overrides. */
export function initTelemetry(overrides: TelemetryOverrides = {}): Telemetry {
  const previous = current;
  current = new Telemetry(overrides);
  void previous?.shutdown();
  return current;
}
