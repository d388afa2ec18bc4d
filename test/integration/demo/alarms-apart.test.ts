/**
 * Demo apart from live: the demo's story, run as `npm run demo` runs it (each step one instrumented invocation,
 * telemetry in local mode), writes EMF of which no datapoint falls on a metric a deployed alarm reads — same
 * namespace, name and exact dimension set (names and values). The alarms' metrics are read from the
 * synthesized template, not from a list kept here. Live telemetry, by contrast, does fall on them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getTelemetry, initTelemetry, instrument } from '@trading-observability/otel';
import { recordPrices } from '../../../lambdas/dual-accuracy-tracker/service';
import { loadStoryDeps } from '../../../lambdas/observability-demo/deps';
import { runStory, stepAsInvocation } from '../../../lambdas/observability-demo/story';
import { loadConfig } from '../../../lambdas/shared/config';
import { storeContext } from '../../../lambdas/shared/store';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { lambdaContext } from '../../../scripts/local/runtime';
import { buildStack, resourcesOf } from '../../support/stack-fixture';

jest.setTimeout(240_000);

interface MetricKey {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

const keyOf = ({ namespace, name, dimensions }: MetricKey) =>
  `${namespace}|${name}|${Object.keys(dimensions)
    .sort()
    .map((dimension) => `${dimension}=${dimensions[dimension]}`)
    .join(',')}`;

type CfnMetric = {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name: string; Value: unknown }>;
};

/** Every metric a metric alarm of the synthesized stack reads (single metric or inside metric math). */
function alarmMetrics(): Map<string, MetricKey> {
  const { template } = buildStack();
  const metrics = new Map<string, MetricKey>();
  const add = (metric: CfnMetric) => {
    if (!metric.Namespace || !metric.MetricName) return;
    const dimensions = Object.fromEntries(
      (metric.Dimensions ?? []).map(({ Name, Value }) => [
        Name,
        typeof Value === 'string' ? Value : JSON.stringify(Value),
      ]),
    );
    const key = { namespace: metric.Namespace, name: metric.MetricName, dimensions };
    metrics.set(keyOf(key), key);
  };
  for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
    const props = alarm.Properties as CfnMetric & { Metrics?: Array<{ MetricStat?: { Metric: CfnMetric } }> };
    add(props);
    for (const query of props.Metrics ?? []) if (query.MetricStat) add(query.MetricStat.Metric);
  }
  return metrics;
}

type EmfDocument = Record<string, unknown> & {
  _aws: {
    CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }>; Dimensions: string[][] }>;
  };
};

/** Every (namespace, name, exact dimension set) an EMF file holds a datapoint of. */
function emfDatapoints(file: string): MetricKey[] {
  const points: MetricKey[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const document = JSON.parse(line) as EmfDocument;
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const set of directive.Dimensions) {
        const dimensions = Object.fromEntries(set.map((name) => [name, String(document[name])]));
        for (const metric of directive.Metrics) {
          if (document[metric.Name] !== undefined)
            points.push({ namespace: directive.Namespace, name: metric.Name, dimensions });
        }
      }
    }
  }
  return points;
}

let store: EmbeddedDynamo;
let dir: string;
const random = Math.random;

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  dir = mkdtempSync(path.join(tmpdir(), 'demo-apart-'));
  Object.assign(process.env, store.env, {
    TELEMETRY_MODE: 'local',
    TELEMETRY_LOCAL_SPANS_FILE: path.join(dir, 'spans.jsonl'),
    LOG_LEVEL: 'ERROR',
  });
  delete process.env.DATA_NAMESPACE;
});

afterAll(async () => {
  Math.random = random;
  initTelemetry({ config: { mode: 'off' } });
  await store?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo’s metrics and the deployed alarms', () => {
  const alarms = alarmMetrics();

  it('reads the alarms’ product metrics from the template (the check below has something to miss)', () => {
    const names = [...alarms.values()]
      .filter((m) => m.namespace === 'TradingObservability')
      .map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'DirectionalAccuracyUpperBound',
        'AccuracyAlertingModels',
        'MarketDataLagSeconds',
      ]),
    );
  });

  it('no EMF datapoint the demo wrote falls on a metric a deployed alarm reads', async () => {
    const metricsFile = path.join(dir, 'demo-metrics.jsonl');
    writeFileSync(metricsFile, '');
    process.env.TELEMETRY_LOCAL_METRICS_FILE = metricsFile;
    initTelemetry();
    // As scripts/demo.ts: each step its own instrumented invocation, in the demo's partition scope.
    const deps = loadStoryDeps({
      invoke: (namespace) => stepAsInvocation({ namespace, seed: 11, context: lambdaContext }),
      workload: { symbols: ['AAPL', 'IBM'], intervalMinutes: 60 },
      exportedSpans: { source: 'spans.jsonl', read: async () => [] },
    });
    const result = await runStory(deps, { demo_type: 'full_demo', seed: 11, trading_days: 3 });
    expect(result.ok).toBe(true);
    getTelemetry().metrics.flush();
    const points = emfDatapoints(metricsFile);
    // The demo wrote product metrics (validations, prices, rankings), all marked as its partition's.
    const product = points.filter(
      (p) => p.namespace === 'TradingObservability' && !('Category' in p.dimensions),
    );
    expect(product.length).toBeGreaterThan(0);
    expect(product.every((p) => p.dimensions.DataPartition === 'demo')).toBe(true);
    const onAlarms = points.filter((p) => alarms.has(keyOf(p)));
    expect(onAlarms).toEqual([]);
  });

  it('while the same work in the live partition does reach the alarms’ series (the check can fail)', async () => {
    const metricsFile = path.join(dir, 'live-metrics.jsonl');
    writeFileSync(metricsFile, '');
    process.env.TELEMETRY_LOCAL_METRICS_FILE = metricsFile;
    initTelemetry();
    const config = loadConfig();
    const live = storeContext(config, config.marketTable);
    expect(live.namespace).toBe('live');
    await instrument(async () =>
      recordPrices({ store: live, config, now: () => new Date(), requestId: 'live-1' }, [
        { symbol: 'AAPL', timestamp: new Date().toISOString(), price: 190 },
      ]),
    )({}, lambdaContext('dual-accuracy-tracker'));
    getTelemetry().metrics.flush();
    const onAlarms = emfDatapoints(metricsFile).filter((p) => alarms.has(keyOf(p)));
    expect(onAlarms.map((p) => `${p.name} ${JSON.stringify(p.dimensions)}`)).toEqual([
      'MarketDataLagSeconds {"Service":"stock_analytics","Symbol":"AAPL"}',
    ]);
  });
});
