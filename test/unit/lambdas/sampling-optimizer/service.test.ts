/**
 * The optimizer service against a mocked CloudWatch (aws-sdk-client-mock) and an in-memory sampling table:
 * what is written, what is kept, and that the layer reads back exactly what was written.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  DEFAULT_SAMPLING_CONFIG,
  dynamoDbConfigLoader,
  getTelemetry,
  initTelemetry,
  MemorySink,
  normalizeSamplingConfig,
  SAMPLING_CONFIG_KEY,
} from '@trading-observability/otel';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_POLICY } from '../../../../lambdas/sampling-optimizer/optimizer';
import {
  type OptimizeResult,
  type OptimizerDeps,
  runAction,
  type StatusResult,
} from '../../../../lambdas/sampling-optimizer/service';
import { cloudWatchVolumeReader } from '../../../../lambdas/sampling-optimizer/volumes';
import { SamplingKey } from '../../../../lambdas/shared/store';
import { FakeTable, metricDataAnswer } from '../../../support/optimizer-fakes';
import { DEFAULTS, HEAVY, scaled, volumesAt } from '../../../support/optimizer-workload';

const NOW = new Date('2026-11-25T14:07:31.000Z');
const WINDOW_END = new Date('2026-11-25T14:07:00.000Z');
const cloudWatch = new CloudWatchClient({ region: 'us-east-1' });
const cw = mockClient(cloudWatch);
const spanSink = new MemorySink();
const metricsSink = new MemorySink();

function deps(table: FakeTable, namespace = 'live'): OptimizerDeps {
  return {
    store: { client: table.client, table: 'sampling', namespace, rawTtlDays: 30 },
    settings: { windowMinutes: 15, accuracyLookbackMinutes: 60, policy: DEFAULT_POLICY },
    volumes: cloudWatchVolumeReader({
      client: () => cloudWatch,
      serviceName: 'stock_analytics',
      accuracyThresholdPct: 60,
    }),
    now: () => NOW,
  };
}

const optimize = (d: OptimizerDeps, extra: Record<string, unknown> = {}) =>
  runAction(d, { action: 'optimize', dry_run: false, ...extra } as never) as Promise<OptimizeResult>;

async function flushed() {
  await getTelemetry().flush();
  const spans = spanSink
    .json<{
      resourceSpans: Array<{
        scopeSpans: Array<{
          spans: Array<{ name: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }>;
        }>;
      }>;
    }>()
    .flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  const metrics: Record<string, number[]> = {};
  for (const doc of metricsSink.json<
    Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string; Unit: string }> }> };
    }
  >()) {
    for (const { Name } of doc._aws.CloudWatchMetrics[0]?.Metrics ?? []) {
      metrics[Name] = [...(metrics[Name] ?? []), ...[doc[Name] as number | number[]].flat()];
    }
  }
  spanSink.clear();
  metricsSink.clear();
  return {
    metrics,
    span: (name: string) => {
      const span = spans.find((s) => s.name === name);
      return span
        ? Object.fromEntries(
            span.attributes.map(({ key, value }) => [
              key,
              value.stringValue ??
                value.boolValue ??
                (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue),
            ]),
          )
        : undefined;
    },
  };
}

beforeEach(() => {
  cw.reset();
  initTelemetry({ spanSink, metricsSink, logSink: new MemorySink(), config: { tracesSampler: 'always_on' } });
  spanSink.clear();
  metricsSink.clear();
});

describe('optimize with CloudWatch metrics', () => {
  it('above budget: lower probabilities are written as version 1, CURRENT and history, with the reason', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date(WINDOW_END.getTime() - 900_000)),
    );
    const table = new FakeTable();
    const result = await optimize(deps(table));
    expect(result.ok).toBe(true);
    expect(result.changed).toBe(true);
    expect(result.version).toBe(1);
    expect(result.previousVersion).toBe(0);
    expect(result.probabilities?.noise).toMatchObject({ from: 0.05, to: 0.025, action: 'lowered' });
    expect(result.projection?.costPerDayBefore).toBeGreaterThan(60);
    expect(result.projection?.costPerDayAfter).toBeCloseTo(48, 0);
    expect(result.projection?.budgetPerDay).toBe(60);
    expect(result.window).toEqual({
      from: '2026-11-25T13:52:00.000Z',
      to: '2026-11-25T14:07:00.000Z',
      minutes: 15,
      source: 'cloudwatch',
    });

    const current = table.get(SAMPLING_CONFIG_KEY.pk, SAMPLING_CONFIG_KEY.sk);
    const config = current?.config as typeof DEFAULT_SAMPLING_CONFIG;
    expect(config.version).toBe(1);
    expect(config.probabilities.noise).toBe(0.025);
    // Errors and high-value handling is untouched: the thresholds stay what they were.
    expect(config.highValueScore).toBe(DEFAULT_SAMPLING_CONFIG.highValueScore);
    expect(config.highValueNotional).toBe(DEFAULT_SAMPLING_CONFIG.highValueNotional);
    expect(config.reason).toMatch(/lowered noise/);
    expect(table.get('SAMPLING_CONFIG', SamplingKey.version(1))?.version).toBe(1);
    expect(SamplingKey.version(1)).toBe('v#0000000001');

    // One GetMetricData call for every category and the accuracy signal, over the accuracy window.
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input as GetMetricDataCommandInput;
    expect(input.MetricDataQueries).toHaveLength(22);
    expect(input.EndTime).toEqual(WINDOW_END);
    expect(input.StartTime).toEqual(new Date(WINDOW_END.getTime() - 60 * 60_000));
    expect(input.MetricDataQueries?.[0]?.MetricStat).toMatchObject({
      Period: 900,
      Stat: 'Sum',
      Metric: {
        Namespace: 'TradingObservability',
        MetricName: 'SpansStarted',
        Dimensions: [
          { Name: 'Service', Value: 'stock_analytics' },
          { Name: 'Category', Value: 'trading' },
        ],
      },
    });

    const { metrics, span } = await flushed();
    expect(metrics.EstimatedTracingCostPerDay?.[0]).toBeCloseTo(48, 0);
    expect(metrics.SampledVolumeReductionPct?.[0]).toBeGreaterThan(60);
    expect(span('sampling.optimize')).toMatchObject({
      'sampling.budget_per_day': 60,
      'sampling.config_version': 1,
      'sampling.changed': true,
    });
    expect(span('sampling.optimize')?.['sampling.estimated_cost_per_day']).toBeCloseTo(48, 0);
  });

  it('data points before the volume window count for accuracy only', async () => {
    const early = new Date(WINDOW_END.getTime() - 45 * 60_000);
    const answer = metricDataAnswer(
      volumesAt(scaled(HEAVY, 0.55), DEFAULTS),
      new Date(WINDOW_END.getTime() - 900_000),
      { alert: 0, upperBoundPct: 75 },
    );
    // An old, huge data point in the accuracy window must not be counted as volume.
    const first = answer.MetricDataResults?.[0];
    if (first) {
      first.Timestamps = [...(first.Timestamps ?? []), early];
      first.Values = [...(first.Values ?? []), 1e12];
    }
    const alert = answer.MetricDataResults?.find((r) => r.Id === 'acc_alert');
    if (alert) {
      alert.Timestamps = [...(alert.Timestamps ?? []), early];
      alert.Values = [...(alert.Values ?? []), 1];
    }
    cw.on(GetMetricDataCommand).resolves(answer);
    const result = await optimize(deps(new FakeTable()), { dry_run: true });
    expect(result.probabilities?.trading?.spansStarted).toBe(scaled(HEAVY, 0.55).trading.spans);
    expect(result.accuracy).toEqual({ degraded: true, alert: 1, upperBoundPct: 75 });
  });

  it('degraded accuracy (AccuracyAlert) raises ml_validation in what is written', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(scaled(HEAVY, 0.3), DEFAULTS), new Date(WINDOW_END.getTime() - 900_000), {
        alert: 1,
        upperBoundPct: 52,
      }),
    );
    const table = new FakeTable();
    const result = await optimize(deps(table));
    expect(result.accuracy?.degraded).toBe(true);
    expect(result.probabilities?.ml_validation).toMatchObject({ from: 0.25, to: 0.5, action: 'boosted' });
    const config = table.get('SAMPLING_CONFIG', 'CURRENT')?.config as typeof DEFAULT_SAMPLING_CONFIG;
    expect(config.probabilities.ml_validation).toBe(0.5);
  });

  it('no metrics at all: keeps the configuration, writes no version and says why', async () => {
    cw.on(GetMetricDataCommand).resolves(metricDataAnswer({}, WINDOW_END));
    const table = new FakeTable();
    const result = await optimize(deps(table));
    expect(result).toMatchObject({ ok: true, changed: false, version: 0 });
    expect(result.reason).toMatch(/No span volume in the last 15 minutes/);
    expect(table.get('SAMPLING_CONFIG', 'CURRENT')).toBeUndefined();
    expect(table.get('SAMPLING_CONFIG', 'LAST_RUN')?.reason).toMatch(/No span volume/);
    const { metrics } = await flushed();
    expect(metrics.EstimatedTracingCostPerDay).toBeUndefined();
  });

  it('GetMetricData throwing: keeps the last configuration and answers clearly', async () => {
    const table = new FakeTable();
    cw.on(GetMetricDataCommand).resolvesOnce(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date(WINDOW_END.getTime() - 900_000)),
    );
    await optimize(deps(table));
    const before = structuredClone(table.get('SAMPLING_CONFIG', 'CURRENT'));
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    const result = await optimize(deps(table), { scheduledTime: '2026-11-25T14:15:00Z' });
    expect(result).toMatchObject({ ok: true, changed: false, version: 1, previousVersion: 1 });
    expect(result.metricsError).toMatch(/CloudWatch GetMetricData failed: Rate exceeded/);
    expect(result.reason).toMatch(/could not be read .* kept version 1/);
    expect(table.get('SAMPLING_CONFIG', 'CURRENT')).toEqual(before);
    const status = (await runAction(deps(table), { action: 'status' })) as StatusResult;
    expect(status.lastRun?.reason).toMatch(/Rate exceeded/);
    expect(status.version).toBe(1);
  });

  it('dry_run computes without writing or emitting the cost metric', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date(WINDOW_END.getTime() - 900_000)),
    );
    const table = new FakeTable();
    const result = await optimize(deps(table), { dry_run: true });
    expect(result).toMatchObject({ ok: true, changed: true, dryRun: true, version: 0 });
    expect(result.reason).toMatch(/^Dry run, nothing written/);
    expect(table.puts).toBe(0);
    const { metrics } = await flushed();
    expect(metrics.EstimatedTracingCostPerDay).toBeUndefined();
  });

  it('a retried scheduled run (same scheduledTime) does not bump the version again', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date('2026-11-25T14:00:00Z')),
    );
    const table = new FakeTable();
    const first = await optimize(deps(table), { scheduledTime: '2026-11-25T14:15:00Z' });
    const retry = await optimize(deps(table), { scheduledTime: '2026-11-25T14:15:00Z' });
    expect(first.version).toBe(1);
    expect(retry).toMatchObject({ changed: false, version: 1 });
    expect(retry.reason).toMatch(/Already optimized for the scheduled time/);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
  });

  it('two concurrent runs: exactly one bumps the version (optimistic concurrency)', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date(WINDOW_END.getTime() - 900_000)),
    );
    const table = new FakeTable();
    const [a, b] = await Promise.all([optimize(deps(table)), optimize(deps(table))]);
    expect([a.changed, b.changed].sort()).toEqual([false, true]);
    const loser = a.changed ? b : a;
    expect(loser.conflict).toBe(true);
    expect(loser.reason).toMatch(/Another optimizer run committed/);
    expect(table.get('SAMPLING_CONFIG', 'CURRENT')?.version).toBe(1);
    expect([...table.items.keys()].filter((k) => k.includes('v#'))).toEqual(['SAMPLING_CONFIG|v#0000000001']);
  });

  it('the demo namespace writes its own partition, never the live key, and emits no cost metric', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date(WINDOW_END.getTime() - 900_000)),
    );
    const table = new FakeTable();
    const result = await optimize(deps(table, 'demo'));
    expect(result.version).toBe(1);
    expect(table.get('demo#SAMPLING_CONFIG', 'CURRENT')?.version).toBe(1);
    expect(table.get('SAMPLING_CONFIG', 'CURRENT')).toBeUndefined();
    const { metrics } = await flushed();
    expect(metrics.EstimatedTracingCostPerDay).toBeUndefined();
  });

  it('a store that cannot be read is DEPENDENCY_UNAVAILABLE, and nothing is written', async () => {
    const table = new FakeTable();
    table.failNext = new Error('connect ECONNREFUSED');
    const result = (await runAction(deps(table), { action: 'status' })) as unknown as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('DEPENDENCY_UNAVAILABLE');
    expect(result.error.message).toMatch(/ECONNREFUSED/);
  });
});

describe('round trip: what the optimizer writes is what the layer reads', () => {
  it('CURRENT through dynamoDbConfigLoader and normalizeSamplingConfig, without warnings', async () => {
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date(WINDOW_END.getTime() - 900_000)),
    );
    const table = new FakeTable();
    const result = await optimize(deps(table));
    const item = table.get(SAMPLING_CONFIG_KEY.pk, SAMPLING_CONFIG_KEY.sk) ?? {};
    const ddb = mockClient(DynamoDBClient);
    ddb.on(GetItemCommand).callsFake((input: { TableName: string; Key: Record<string, { S: string }> }) => {
      expect(input.Key).toEqual({ pk: { S: 'SAMPLING_CONFIG' }, sk: { S: 'CURRENT' } });
      // The real GetItem returns the marshalled item; the loader projects `config`.
      return { Item: marshall({ config: item.config }, { removeUndefinedValues: true }) };
    });
    // Without credentials in the environment the loader reads through the (mocked) SDK client.
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_ACCESS_KEY_ID;
    try {
      const raw = await dynamoDbConfigLoader('sampling')();
      const { config, warnings } = normalizeSamplingConfig(raw);
      expect(warnings).toEqual([]);
      expect(config.version).toBe(1);
      for (const [category, change] of Object.entries(result.probabilities ?? {})) {
        expect(config.probabilities[category as keyof typeof config.probabilities]).toBe(change.to);
      }
      expect(config.reason).toBe(result.reason);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = accessKeyId;
      ddb.restore();
    }
  });
});

describe('status and history', () => {
  it('status before any run: the built-in defaults, in plain words', async () => {
    const status = (await runAction(deps(new FakeTable()), { action: 'status' })) as StatusResult;
    expect(status).toMatchObject({
      ok: true,
      source: 'defaults',
      version: 0,
      projection: null,
      lastRun: null,
    });
    expect(status.probabilities).toEqual(DEFAULT_SAMPLING_CONFIG.probabilities);
    expect(status.summary).toMatch(/has not run yet/);
  });

  it('status after runs: version, reason, projection and reduction; history newest first', async () => {
    const table = new FakeTable();
    // One data point at 14:00: inside both runs' windows (13:45-14:00 and 14:00-14:15).
    cw.on(GetMetricDataCommand).resolves(
      metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date('2026-11-25T14:00:00Z')),
    );
    await optimize(deps(table), { scheduledTime: '2026-11-25T14:00:00Z' });
    await optimize(deps(table), { scheduledTime: '2026-11-25T14:15:00Z' });
    const status = (await runAction(deps(table), { action: 'status' })) as StatusResult;
    expect(status).toMatchObject({ ok: true, source: 'stored', version: 2 });
    expect(status.projection?.costPerDayUnsampled).toBeGreaterThan(400);
    expect(status.projection?.headroomPct).toBe(20);
    expect(status.volumeReductionPct).toBeGreaterThan(60);
    expect(status.summary).toMatch(
      /^Version 2: projected \$[\d.]+\/day after sampling \(\$[\d.]+\/day unsampled\) against a \$60.00\/day budget/,
    );
    const history = (await runAction(deps(table), { action: 'history', limit: 10 })) as unknown as {
      versions: Array<{ version: number }>;
    };
    expect(history.versions.map((v) => v.version)).toEqual([2, 1]);
  });
});
