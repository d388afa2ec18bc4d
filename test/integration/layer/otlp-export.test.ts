import type { Context } from 'aws-lambda';
import { INSTRUMENT_OPTIONS } from '../../../lambdas/shared/instrumentation';
import { initTelemetry, instrument, MemorySink, withSpan } from '../../../layers/otel/src';
import {
  attributesOf,
  deadPort,
  type OtlpReceiver,
  startOtlpReceiver,
} from '../../../scripts/local/otlp-receiver';
import { lambdaContext } from '../../../scripts/local/runtime';

const EXPORT_BOUND_MS = 300;

function telemetryFor(endpoint: string, secretReader = async () => 'test-ingestion-key') {
  return initTelemetry({
    config: {
      mode: 'otlp',
      tracesEndpoint: `${endpoint}/v1/traces`,
      ingestionKeySecretId: 'trading-observability/signoz-ingestion-key',
      exportTimeoutMs: EXPORT_BOUND_MS,
      tracesSampler: 'always_on',
      serviceName: 'stock_analytics',
      serviceVersion: '1.2.3',
      environment: 'test',
      breakerFailureThreshold: 100,
    },
    secretReader,
    logSink: new MemorySink(),
    metricsSink: new MemorySink(),
  });
}

const businessHandler = instrument(async (event: { symbols: string[] }) => {
  for (const symbol of event.symbols) {
    await withSpan(
      'trading.opportunity_analysis',
      { 'finance.symbol': symbol, opportunity_score: 72.5 },
      () => 1,
    );
  }
  return { ok: true as const, analysed: event.symbols.length };
}, INSTRUMENT_OPTIONS);

describe('the handler wrapper exports spans over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  const context: Context = lambdaContext('trading-intelligence');

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('delivers the invocation span and its children with the resource attributes and the ingestion key', async () => {
    telemetryFor(receiver.url);
    const result = await businessHandler({ symbols: ['AAPL', 'MSFT'] }, context);

    expect(result).toEqual({ ok: true, analysed: 2 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.path).toBe('/v1/traces');
    expect(request?.headers['signoz-ingestion-key']).toBe('test-ingestion-key');
    const resourceSpans = request?.body.resourceSpans[0];
    const resource = attributesOf(resourceSpans?.resource.attributes ?? []);
    expect(resource).toMatchObject({
      'service.name': 'stock_analytics',
      'service.version': '1.2.3',
      'deployment.environment': 'test',
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_lambda',
      'faas.name': 'trading-intelligence',
    });
    const spans = resourceSpans?.scopeSpans[0]?.spans ?? [];
    expect(spans.map((span) => span.name).sort()).toEqual([
      'trading-intelligence',
      'trading.opportunity_analysis',
      'trading.opportunity_analysis',
    ]);
    const root = spans.find((span) => span.name === 'trading-intelligence');
    const rootAttributes = attributesOf(root?.attributes ?? []);
    expect(rootAttributes).toMatchObject({
      'faas.coldstart': expect.any(Boolean),
      'faas.invocation_id': context.awsRequestId,
      'app.result.ok': true,
      'sampling.probability': 1,
    });
    const children = spans.filter((span) => span.name !== 'trading-intelligence');
    for (const child of children) {
      expect(child.traceId).toBe(root?.traceId);
      expect(child.parentSpanId).toBe(root?.spanId);
    }
    expect(children.map((child) => attributesOf(child.attributes)['finance.symbol']).sort()).toEqual([
      'AAPL',
      'MSFT',
    ]);
  });

  it('records a thrown error on the invocation span, still exports, and rethrows to Lambda', async () => {
    telemetryFor(receiver.url);
    const failing = instrument(async () => {
      throw new TypeError('price feed returned garbage');
    });
    await expect(failing({}, context)).rejects.toThrow('price feed returned garbage');
    const spans = receiver.received[0]?.body.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans).toHaveLength(1);
    expect(spans[0]?.status.code).toBe(2);
    expect(spans[0]?.events.map((event) => event.name)).toContain('exception');
  });

  it('neither fails nor delays the call past the bound when the collector port is dead', async () => {
    const telemetry = telemetryFor(`http://127.0.0.1:${await deadPort()}`);
    const started = performance.now();
    const result = await businessHandler({ symbols: ['AAPL'] }, context);
    const elapsed = performance.now() - started;

    expect(result).toEqual({ ok: true, analysed: 1 });
    expect(telemetry.lastFlush?.outcome).toBe('failed');
    expect(elapsed).toBeLessThan(EXPORT_BOUND_MS + 400);
  });

  it('gives up at the bound when the collector hangs, and the call still succeeds', async () => {
    receiver.delayMs = 5_000;
    const telemetry = telemetryFor(receiver.url);
    const started = performance.now();
    const result = await businessHandler({ symbols: ['AAPL'] }, context);
    const elapsed = performance.now() - started;

    expect(result).toEqual({ ok: true, analysed: 1 });
    expect(telemetry.lastFlush?.outcome).toBe('failed');
    expect(telemetry.lastFlush?.error).toMatch(/abort|deadline/i);
    expect(elapsed).toBeGreaterThanOrEqual(EXPORT_BOUND_MS - 20);
    expect(elapsed).toBeLessThan(EXPORT_BOUND_MS + 400);
  });

  it('succeeds when the ingestion key cannot be read, and opens the breaker after repeated failures', async () => {
    const telemetry = initTelemetry({
      config: {
        mode: 'otlp',
        tracesEndpoint: `${receiver.url}/v1/traces`,
        ingestionKeySecretId: 'missing-secret',
        exportTimeoutMs: EXPORT_BOUND_MS,
        breakerFailureThreshold: 2,
        breakerCooldownMs: 60_000,
      },
      secretReader: async () => {
        throw new Error('AccessDeniedException');
      },
      logSink: new MemorySink(),
      metricsSink: new MemorySink(),
    });
    for (let i = 0; i < 3; i++) {
      await expect(businessHandler({ symbols: ['IBM'] }, context)).resolves.toEqual({
        ok: true,
        analysed: 1,
      });
    }
    expect(receiver.received).toHaveLength(0);
    expect(telemetry.breaker.state).toBe('open');
    expect(telemetry.lastFlush?.outcome).toBe('skipped_breaker_open');
  });
});
