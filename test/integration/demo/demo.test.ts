/**
 * The observability-demo story on an in-memory embedded DynamoDB with a small real-price workload (3
 * symbols, 6 trading days, every second point): every report section, the accuracy, ranking, sampling
 * and dashboard figures, the same report on a second run (nothing double-counted), and the Lambda
 * handler's `dashboards` part and refusal of a bad payload.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { initTelemetry, instrument } from '@trading-observability/otel';
import { loadStoryDeps } from '../../../lambdas/observability-demo/deps';
import { handler } from '../../../lambdas/observability-demo/handler';
import {
  type DemoResult,
  demoClock,
  rankingTimes,
  runStory,
} from '../../../lambdas/observability-demo/story';
import { dayInfo } from '../../../lambdas/shared/market';
import { formatReport } from '../../../scripts/lib/report';
import { createRng } from '../../../scripts/lib/rng';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { lambdaContext } from '../../../scripts/local/runtime';

const WORKLOAD = { symbols: ['AAPL', 'GOOG', 'MSFT'] as const, every: 2 };
const REQUEST = { demo_type: 'full_demo', seed: 7, trading_days: 6 } as const;
const random = Math.random;

describe('observability-demo story on embedded DynamoDB', () => {
  let store: EmbeddedDynamo;
  let dir: string;
  let metricsFile: string;
  let first: DemoResult;
  let firstReport: string;

  const run = async (): Promise<DemoResult> => {
    // Each run reads its own span volumes, and draws the same trace ids, as `npm run demo` does.
    writeFileSync(metricsFile, '');
    let invocations = 0;
    const deps = loadStoryDeps({
      invoke: (fn, action, step) => {
        const rng = createRng(REQUEST.seed).fork('trace-ids', invocations++);
        Math.random = () => rng.next();
        return instrument(async (_event: unknown) => step())({ action }, lambdaContext(fn));
      },
      workload: WORKLOAD,
    });
    return runStory(deps, REQUEST);
  };

  beforeAll(async () => {
    store = await startEmbeddedDynamo();
    dir = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
    metricsFile = path.join(dir, 'metrics.jsonl');
    Object.assign(process.env, store.env, {
      TELEMETRY_MODE: 'local',
      TELEMETRY_LOCAL_SPANS_FILE: path.join(dir, 'spans.jsonl'),
      TELEMETRY_LOCAL_METRICS_FILE: metricsFile,
      LOG_LEVEL: 'ERROR',
    });
    delete process.env.DATA_NAMESPACE;
    initTelemetry();
    first = await run();
    firstReport = formatReport(first);
  }, 60_000);

  afterAll(async () => {
    Math.random = random;
    initTelemetry({ config: { mode: 'off' } });
    await store?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in the demo namespace on a clock fixed to the last completed trading day', () => {
    expect(first.ok).toBe(true);
    expect(first.namespace).toBe('demo');
    const clock = demoClock(new Date());
    expect(first.clock).toEqual(clock);
    expect(dayInfo(clock.endDate).isTradingDay).toBe(true);
    expect(first.workload?.lastDay).toBe(clock.endDate);
    expect(first.workload?.tradingDays).toBe(6);
    expect(first.workload?.symbols).toEqual(['AAPL', 'GOOG', 'MSFT']);
  });

  it('validates the recorded predictions: n > 0, a reliability table, per-symbol groups', () => {
    const accuracy = first.accuracy;
    expect(accuracy).toBeDefined();
    if (!accuracy) return;
    expect(accuracy.overall.n).toBeGreaterThan(100);
    expect(accuracy.overall.hitRate).toBeGreaterThan(0.5);
    expect(Object.keys(accuracy.bySymbol)).toEqual(['AAPL', 'GOOG', 'MSFT']);
    expect(Object.keys(accuracy.byModel)).toEqual(['lstm-v3', 'xgb-v2']);
    expect(accuracy.reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(accuracy.overall.n);
    // One nightly run per replayed day, together validating every recorded prediction once.
    expect(accuracy.nightly).toHaveLength(6);
    expect(accuracy.nightly.reduce((sum, night) => sum + night.n, 0)).toBe(first.workload?.predictions);
  });

  it('ranks the symbols with a per-factor breakdown that adds up to the score', () => {
    const trading = first.trading;
    expect(trading).toBeDefined();
    if (!trading) return;
    const lastDay = dayInfo(first.clock.endDate);
    expect(trading.rankings.map((r) => r.asOf)).toEqual(rankingTimes(lastDay));
    expect(trading.top.length).toBe(3);
    for (const entry of trading.top.filter((e) => e.score !== null)) {
      const total = entry.breakdown.reduce((sum, factor) => sum + factor.contribution, 0);
      expect(total).toBeCloseTo(entry.score as number, 1);
    }
    expect(trading.top[0]?.rank).toBe(1);
    expect(first.sessions?.bySession.regular?.n).toBeGreaterThan(0);
  });

  it('reports the run span volume and a sampling reduction of at least 60 %', () => {
    const sampling = first.sampling;
    expect(sampling).toBeDefined();
    if (!sampling) return;
    expect(sampling.dryRun).toBe(true);
    expect(sampling.spansBefore).toBeGreaterThan(first.accuracy?.overall.n ?? 0);
    expect(sampling.spansAfter).toBeLessThan(sampling.spansBefore);
    expect(sampling.reductionPct).toBeGreaterThanOrEqual(60);
    expect(sampling.costPerDayUnsampled).toBeGreaterThan(0);
    expect(sampling.budgetPerDay).toBe(60);
    // The layer wrote this run's volume metrics; the optimizer read them back.
    expect(readFileSync(metricsFile, 'utf8')).toContain('SpansStarted');
  });

  it('counts the four dashboards', () => {
    expect(first.dashboards?.count).toBe(4);
    expect(first.dashboards?.widgets).toBeGreaterThanOrEqual(15);
    expect(first.dashboards?.json).toBeUndefined();
  });

  it('prints every section of the report', () => {
    for (const heading of [
      'Are the models right?',
      'Reliability',
      'Where are the opportunities?',
      'Which session do the models do best in?',
      'What does observing it cost?',
      'Can analysts see it?',
    ]) {
      expect(firstReport).toContain(heading);
    }
  });

  it('gives the same report on a second run, without double-counting', async () => {
    const second = await run();
    expect(second.accuracy?.overall.n).toBe(first.accuracy?.overall.n);
    expect(second.sessions?.validations).toBe(first.sessions?.validations);
    expect(formatReport(second)).toBe(firstReport);
  }, 60_000);
});

describe('observability-demo handler', () => {
  let store: EmbeddedDynamo;

  beforeAll(async () => {
    store = await startEmbeddedDynamo();
    Object.assign(process.env, store.env, { TELEMETRY_MODE: 'off' });
    initTelemetry();
  }, 30_000);
  afterAll(async () => {
    await store?.stop();
  });

  it('returns the four SigNoz dashboards for demo_type dashboards', async () => {
    const result = (await handler(
      { demo_type: 'dashboards' },
      lambdaContext('observability-demo'),
    )) as DemoResult;
    expect(result.ok).toBe(true);
    expect(result.dashboards?.count).toBe(4);
    const json = result.dashboards?.json as Record<string, { widgets: unknown[] }>;
    expect(Object.keys(json)).toHaveLength(4);
    expect(Object.values(json).every((dashboard) => dashboard.widgets.length > 0)).toBe(true);
    expect(result.accuracy).toBeUndefined();
  });

  it.each([
    [{ demo_type: 'everything' }, 'UNKNOWN_ACTION'],
    [{ demo_type: 'full_demo', seed: -1 }, 'INVALID_PAYLOAD'],
    [{ demo_type: 'accuracy', extra: true }, 'INVALID_PAYLOAD'],
    ['full_demo', 'INVALID_PAYLOAD'],
  ])('refuses %j with %s', async (payload, code) => {
    const result = (await handler(payload, lambdaContext('observability-demo'))) as {
      ok: boolean;
      error?: { code: string; issues: unknown[] };
    };
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe(code);
    expect(result.error?.issues.length).toBeGreaterThan(0);
  });
});
