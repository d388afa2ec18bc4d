/** Payload validation (through the handler: nothing reaches the store), configuration, and the local EMF reader. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MemorySink, Metrics } from '@trading-observability/otel';
import { loadOptimizerConfig, MetricsSource } from '../../../../lambdas/sampling-optimizer/config';
import { handler } from '../../../../lambdas/sampling-optimizer/handler';
import {
  accuracySignal,
  fileVolumeReader,
  staticVolumeReader,
} from '../../../../lambdas/sampling-optimizer/volumes';
import { ConfigError } from '../../../../lambdas/shared/config';
import { lambdaContext } from '../../../../scripts/local/runtime';

const invoke = (event: unknown) =>
  handler(event, lambdaContext('sampling-optimizer')) as Promise<{
    ok: boolean;
    error?: { code: string; issues: Array<{ path: string }> };
  }>;

describe('sampling-optimizer payload validation', () => {
  it.each([
    ['not an object', 'optimize', 'INVALID_PAYLOAD', '(root)'],
    ['no action', {}, 'UNKNOWN_ACTION', 'action'],
    ['unknown action', { action: 'cut_costs' }, 'UNKNOWN_ACTION', 'action'],
    ['window too short', { action: 'optimize', window_minutes: 4 }, 'INVALID_PAYLOAD', 'window_minutes'],
    ['window too long', { action: 'optimize', window_minutes: 1441 }, 'INVALID_PAYLOAD', 'window_minutes'],
    ['fractional window', { action: 'optimize', window_minutes: 7.5 }, 'INVALID_PAYLOAD', 'window_minutes'],
    ['window as text', { action: 'optimize', window_minutes: '15' }, 'INVALID_PAYLOAD', 'window_minutes'],
    ['dry_run as text', { action: 'optimize', dry_run: 'yes' }, 'INVALID_PAYLOAD', 'dry_run'],
    [
      'the unfilled Scheduler placeholder',
      { action: 'optimize', scheduledTime: '<aws.scheduler.scheduled-time>' },
      'INVALID_PAYLOAD',
      'scheduledTime',
    ],
    ['unknown field', { action: 'status', verbose: true }, 'INVALID_PAYLOAD', '(root)'],
    ['history limit 0', { action: 'history', limit: 0 }, 'INVALID_PAYLOAD', 'limit'],
    ['history limit 51', { action: 'history', limit: 51 }, 'INVALID_PAYLOAD', 'limit'],
  ])('%s → ok:false %s at %s', async (_label, event, code, at) => {
    const result = await invoke(event);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe(code);
    expect(result.error?.issues.map((i) => i.path)).toContain(at);
  });
});

describe('loadOptimizerConfig', () => {
  it('defaults: 15-minute window, CloudWatch when deployed, the file locally', () => {
    const deployed = loadOptimizerConfig({});
    expect(deployed.windowMinutes).toBe(15);
    expect(deployed.accuracyLookbackMinutes).toBe(60);
    expect(deployed.metricsSource).toBe(MetricsSource.CLOUDWATCH);
    expect(deployed.policy.budgetPerDay).toBe(60);
    expect(deployed.policy.pricePerGb).toBe(0.4);
    expect(deployed.serviceName).toBe('stock_analytics');
    const local = loadOptimizerConfig({
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
      TELEMETRY_LOCAL_METRICS_FILE: 'x/m.jsonl',
    });
    expect(local.metricsSource).toBe(MetricsSource.FILE);
    expect(local.localMetricsFile).toBe('x/m.jsonl');
  });

  it('reads the floors over the defaults', () => {
    expect(loadOptimizerConfig({ SAMPLING_FLOORS: 'ml_validation=0.1' }).policy.floors).toEqual({
      trading: 0.1,
      ml_validation: 0.1,
      market_data: 0.01,
      invocation: 0.01,
      noise: 0.01,
    });
  });

  it.each([
    ['SAMPLING_WINDOW_MINUTES', '3'],
    ['SAMPLING_TARGET_FRACTION', 'lots'],
    ['SAMPLING_TARGET_FRACTION', '0'],
    ['SAMPLING_DEAD_BAND', '0.6'],
    ['SAMPLING_METRICS_SOURCE', 'prometheus'],
    ['SAMPLING_FLOORS', 'bogus=0.5'],
    ['SAMPLING_FLOORS', 'noise=2'],
    ['TRACING_BUDGET_PER_DAY', '-1'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadOptimizerConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadOptimizerConfig({ [name]: value })).toThrow(
      new RegExp(`invalid configuration: ${name}: `),
    );
  });

  it("takes the service name (the metrics' Service dimension) from the layer, OTEL_RESOURCE_ATTRIBUTES included", () => {
    expect(loadOptimizerConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=eu' }).serviceName).toBe('eu');
    expect(loadOptimizerConfig({ OTEL_SERVICE_NAME: 'us' }).serviceName).toBe('us');
  });
});

describe('fileVolumeReader (the layer’s local EMF file)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'optimizer-'));
  const end = new Date('2026-11-25T14:15:00Z');
  const window = {
    start: new Date(end.getTime() - 15 * 60_000),
    end,
    accuracyStart: new Date(end.getTime() - 60 * 60_000),
  };

  function emf(at: number, service: string, add: (metrics: Metrics) => void): string[] {
    const sink = new MemorySink();
    const metrics = new Metrics({
      namespace: 'TradingObservability',
      defaultDimensions: { Service: service },
      sink,
      enabled: true,
      now: () => at,
    });
    add(metrics);
    metrics.flush();
    return sink.lines;
  }

  it('sums the window’s volume metrics per category and reads the overall accuracy figures', async () => {
    const inWindow = end.getTime() - 5 * 60_000;
    const lines = [
      ...emf(inWindow, 'stock_analytics', (m) => {
        m.add('SpansStarted', 'Count', 10, { Category: 'trading' });
        m.add('SpansStarted', 'Count', 5, { Category: 'trading' });
        m.add('SpanBytesStarted', 'Bytes', 4000, { Category: 'trading' });
        m.add('SpansExported', 'Count', 7, { Category: 'trading' });
        m.add('SpanBytesExported', 'Bytes', 2000, { Category: 'trading' });
        m.add('SpansStarted', 'Count', 100, { Category: 'noise' });
      }),
      // Before the volume window but inside the accuracy window: accuracy only.
      ...emf(end.getTime() - 30 * 60_000, 'stock_analytics', (m) => {
        m.add('SpansStarted', 'Count', 1_000_000, { Category: 'trading' });
        m.add('AccuracyAlert', 'Count', 1);
        m.add('DirectionalAccuracyUpperBound', 'Percent', 58);
        m.add('AccuracyAlert', 'Count', 0, { Model: 'lstm-v3' });
      }),
      // Another service, and a document after the window: ignored.
      ...emf(inWindow, 'other_service', (m) => m.add('SpansStarted', 'Count', 999, { Category: 'trading' })),
      ...emf(end.getTime() + 1, 'stock_analytics', (m) =>
        m.add('SpansStarted', 'Count', 999, { Category: 'trading' }),
      ),
      'not json',
      '{"_aws": "TradingObservability"}',
    ];
    const file = path.join(dir, 'metrics.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const reading = await fileVolumeReader({
      file,
      serviceName: 'stock_analytics',
      accuracyThresholdPct: 60,
    }).read(window);
    expect(reading.volumes.trading).toEqual({
      startedSpans: 15,
      exportedSpans: 7,
      startedBytes: 4000,
      exportedBytes: 2000,
    });
    expect(reading.volumes.noise?.startedSpans).toBe(100);
    expect(reading.accuracy).toEqual({ degraded: true, alert: 1, upperBoundPct: 58 });
    expect(reading.volumeDatapoints).toBe(5);
  });

  it('a missing file is no data, not an error', async () => {
    const reading = await fileVolumeReader({
      file: path.join(dir, 'absent.jsonl'),
      serviceName: 'stock_analytics',
      accuracyThresholdPct: 60,
    }).read(window);
    expect(reading.volumeDatapoints).toBe(0);
    expect(reading.accuracy.degraded).toBe(false);
  });

  it('accuracySignal: the alert or an upper bound below the threshold', () => {
    expect(accuracySignal(null, null, 60).degraded).toBe(false);
    expect(accuracySignal(0, 61, 60).degraded).toBe(false);
    expect(accuracySignal(1, 80, 60).degraded).toBe(true);
    expect(accuracySignal(0, 59.9, 60).degraded).toBe(true);
  });
});

describe('staticVolumeReader (volumes the caller measured)', () => {
  it('answers what it was given, whatever the window', async () => {
    const reader = staticVolumeReader(
      { noise: { startedSpans: 10, startedBytes: 5000, exportedSpans: 1, exportedBytes: 500 } },
      { degraded: true, alert: 1, upperBoundPct: 50 },
      'demo-run',
    );
    const now = new Date();
    const reading = await reader.read({ start: now, end: now, accuracyStart: now });
    expect(reading).toMatchObject({ source: 'demo-run', volumeDatapoints: 1, accuracy: { degraded: true } });
    expect(reading.volumes.noise?.startedSpans).toBe(10);
  });
});
