import { SpanStatusCode } from '@opentelemetry/api';
import { loadTelemetryConfig } from '../../../../../layers/otel/src/config';
import { initTelemetry, MemorySink, withSpan } from '../../../../../layers/otel/src/index';
import { Logger } from '../../../../../layers/otel/src/logger';
import { REDACTED } from '../../../../../layers/otel/src/pii';
import { attributesOf } from '../../../../../scripts/local/otlp-receiver';

describe('structured logger', () => {
  it('writes one JSON object per line with level, service, context, trace ids, and a scrubbed error', async () => {
    const logs = new MemorySink();
    const spans = new MemorySink();
    const telemetry = initTelemetry({
      config: { mode: 'off', logLevel: 'INFO' },
      logSink: logs,
      spanSink: spans,
    });
    telemetry.logger.appendContext({ request_id: 'req-1' });
    let traceId = '';
    await withSpan('ml.validation_batch', { 'finance.symbol': 'AAPL' }, (span) => {
      traceId = span.spanContext().traceId;
      telemetry.logger.debug('not written below INFO');
      telemetry.logger.error(
        'validation failed for trader bob@example.com',
        { symbol: 'AAPL', email: 'x@y.io' },
        new Error('boom'),
      );
    });
    const [line] = logs.json();
    expect(logs.lines).toHaveLength(1);
    expect(line).toMatchObject({
      level: 'ERROR',
      service: 'stock_analytics',
      request_id: 'req-1',
      symbol: 'AAPL',
      trace_id: traceId,
      message: `validation failed for trader ${REDACTED}`,
      error: { type: 'Error', message: 'boom' },
    });
    expect(line).not.toHaveProperty('email');
    expect(String((line?.error as { stack?: string } | undefined)?.stack)).toContain(
      'logger-and-encoding.test',
    );
  });

  it('never throws, even with a context that cannot be serialised', () => {
    const sink = new MemorySink();
    const logger = new Logger({ service: 's', level: 'INFO', sink, scrub: true });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => logger.info('circular', circular)).not.toThrow();
  });
});

describe('OTLP/JSON encoding of exported spans', () => {
  it('encodes ids as hex, times as nanosecond strings, ints and doubles apart, and scrubs PII attributes', async () => {
    const spans = new MemorySink();
    const telemetry = initTelemetry({
      config: { mode: 'off', tracesSampler: 'always_on' },
      spanSink: spans,
      logSink: new MemorySink(),
    });
    await withSpan(
      'ml.validate_prediction',
      {
        'finance.symbol': 'AAPL',
        'ml.confidence': 0.74,
        'trade.count': 3,
        'user.email': 'a@b.co',
        note: 'card 4111111111111111',
      },
      (span) => span.setStatus({ code: SpanStatusCode.ERROR, message: 'for a@b.co' }),
    );
    await telemetry.flush();
    const request = spans.json<{
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
    }>()[0];
    const span = request?.resourceSpans[0]?.scopeSpans[0]?.spans[0] as Record<string, unknown>;
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.startTimeUnixNano).toMatch(/^\d{19}$/);
    expect(span.kind).toBe(1);
    const attributes = span.attributes as Array<{ key: string; value: Record<string, unknown> }>;
    expect(attributes.find((a) => a.key === 'ml.confidence')?.value).toEqual({ doubleValue: 0.74 });
    expect(attributes.find((a) => a.key === 'trade.count')?.value).toEqual({ intValue: '3' });
    const flat = attributesOf(attributes);
    expect(flat).not.toHaveProperty('user.email');
    expect(flat.note).toBe(`card ${REDACTED}`);
    expect(span.status).toEqual({ code: 2, message: `for ${REDACTED}` });
  });
});

describe('telemetry configuration', () => {
  it('defaults to a real export inside Lambda and to nothing leaving the process elsewhere', () => {
    expect(loadTelemetryConfig({ AWS_LAMBDA_FUNCTION_NAME: 'f' }).mode).toBe('otlp');
    expect(loadTelemetryConfig({}).mode).toBe('off');
  });

  it('normalises bad values to defaults instead of failing', () => {
    const config = loadTelemetryConfig({
      TELEMETRY_MODE: 'bogus',
      TELEMETRY_EXPORT_TIMEOUT_MS: '-5',
      LOG_LEVEL: 'loud',
      TELEMETRY_SAMPLING_ENABLED: 'false',
    });
    expect(config).toMatchObject({
      mode: 'off',
      exportTimeoutMs: 800,
      logLevel: 'INFO',
      tracesSampler: 'always_on',
    });
  });
});
