/**
 * The observability-demo story on an in-memory embedded DynamoDB with a small real-price workload (3
 * symbols, 6 trading days, hourly points): the replayed days with a real day's failures, every report
 * section, and what the exported spans prove — the report's headline reduction equals Σ 1/p computed here
 * from the spans file, error and high-value traces are exported whole, spans, logs and metrics carry the
 * replayed days and the demo partition — and the same report on a second run (nothing double-counted);
 * then the Lambda handler's `dashboards` part and refusal of a bad payload.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { initTelemetry, MemorySink } from '@trading-observability/otel';
import { loadStoryDeps } from '../../../lambdas/observability-demo/deps';
import { handler } from '../../../lambdas/observability-demo/handler';
import { parseExportLines } from '../../../lambdas/observability-demo/measure/exported-spans';
import { formatReport } from '../../../lambdas/observability-demo/report';
import {
  type DemoResult,
  demoClock,
  rankingTimes,
  runStory,
  STORY_DEFAULTS,
  stepAsInvocation,
} from '../../../lambdas/observability-demo/story';
import { dayInfo, etDate } from '../../../lambdas/shared/market';
import { VALIDATION_LOOKBACK_MINUTES } from '../../../lib/alerting/rules';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { lambdaContext } from '../../../scripts/local/runtime';

const WORKLOAD = { symbols: ['AAPL', 'GOOG', 'MSFT'] as const, intervalMinutes: 60 };
const REQUEST = { demo_type: 'full_demo', seed: 7, trading_days: 6 } as const;
const random = Math.random;

interface SpanJson {
  traceId: string;
  parentSpanId?: string;
  startTimeUnixNano: string;
  attributes: Array<{
    key: string;
    value: { stringValue?: string; doubleValue?: number; intValue?: string; boolValue?: boolean };
  }>;
  status?: { code?: number };
  events?: Array<{ name: string }>;
}

/** Every exported span of the file, read without the demo's own measuring code. */
function spansOf(file: string): SpanJson[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const request = JSON.parse(line) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: SpanJson[] }> }>;
      };
      return request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    });
}
const attr = (span: SpanJson, key: string) => span.attributes.find((a) => a.key === key)?.value;
/** A numeric attribute as the layer encodes it: safe integers as intValue strings, others as doubleValue. */
const numberAttr = (span: SpanJson, key: string): number | undefined => {
  const value = attr(span, key);
  return value?.doubleValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

describe('observability-demo story on embedded DynamoDB', () => {
  let store: EmbeddedDynamo;
  let dir: string;
  let spansFile: string;
  let metricsFile: string;
  const logs = new MemorySink();
  let first: DemoResult;
  let firstReport: string;
  let firstSpans: SpanJson[];

  const run = async (): Promise<DemoResult> => {
    // Each run reads its own spans and volumes, and draws the same trace ids, as `npm run demo` does.
    writeFileSync(metricsFile, '');
    writeFileSync(spansFile, '');
    logs.clear();
    const deps = loadStoryDeps({
      invoke: (namespace) => stepAsInvocation({ namespace, seed: REQUEST.seed, context: lambdaContext }),
      workload: WORKLOAD,
      exportedSpans: {
        source: 'spans.jsonl',
        read: async () => parseExportLines(readFileSync(spansFile, 'utf8')),
      },
    });
    return runStory(deps, REQUEST);
  };

  beforeAll(async () => {
    store = await startEmbeddedDynamo();
    dir = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
    spansFile = path.join(dir, 'spans.jsonl');
    metricsFile = path.join(dir, 'metrics.jsonl');
    Object.assign(process.env, store.env, {
      TELEMETRY_MODE: 'local',
      TELEMETRY_LOCAL_SPANS_FILE: spansFile,
      TELEMETRY_LOCAL_METRICS_FILE: metricsFile,
      LOG_LEVEL: 'WARN',
    });
    delete process.env.DATA_NAMESPACE;
    initTelemetry({ logSink: logs });
    first = await run();
    firstReport = formatReport(first);
    firstSpans = spansOf(spansFile);
  }, 300_000);

  afterAll(async () => {
    Math.random = random;
    initTelemetry({ config: { mode: 'off' } });
    await store?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in the demo partition on a clock fixed to the last completed trading day', () => {
    expect(first.ok).toBe(true);
    expect(first.namespace).toBe('demo');
    const clock = demoClock(new Date());
    expect(first.clock).toEqual(clock);
    expect(dayInfo(clock.endDate).isTradingDay).toBe(true);
    expect(first.workload?.lastDay).toBe(clock.endDate);
    expect(first.workload?.tradingDays).toBe(6);
    expect(first.workload?.symbols).toEqual(['AAPL', 'GOOG', 'MSFT']);
  });

  it("replays the stack's validation schedule (every run over the last 30 minutes)", () => {
    expect(STORY_DEFAULTS.validationLookbackMinutes).toBe(VALIDATION_LOOKBACK_MINUTES);
    const daily = first.accuracy?.daily ?? [];
    expect(daily.map((day) => day.date)).toHaveLength(6);
    for (const day of daily) expect(day.runs).toBeGreaterThan(10);
  });

  it("goes through a real day's failures, and says what became of each", () => {
    const failures = first.failures ?? [];
    expect(failures.map((f) => f.kind).sort()).toEqual([
      'bad_payload',
      'price_feed_gap',
      'throttled_write',
      'validation_exception',
    ]);
    const byKind = Object.fromEntries(failures.map((f) => [f.kind, f]));
    expect(byKind.throttled_write?.outcome).toMatch(/retried the same batch .*: 3 recorded/);
    expect(byKind.bad_payload?.outcome).toMatch(/refused with INVALID_PAYLOAD .*nothing written/);
    // the scheduled runs of the gap day saw the gap as pending; the failed run is counted as failed
    const daily = first.accuracy?.daily ?? [];
    const gapDay = etDate(byKind.price_feed_gap?.at ?? '');
    const failedDay = etDate(byKind.validation_exception?.at ?? '');
    expect(daily.find((day) => day.date === gapDay)?.pending).toBeGreaterThan(0);
    expect(daily.find((day) => day.date === failedDay)?.failedRuns).toBe(1);
    expect(daily.reduce((sum, day) => sum + day.failedRuns, 0)).toBe(1);
  });

  it('validates the recorded predictions: the 7-day summary, a reliability table, per-symbol groups', () => {
    const accuracy = first.accuracy;
    expect(accuracy).toBeDefined();
    if (!accuracy) return;
    expect(accuracy.overall.n).toBeGreaterThan(100);
    // after the backfill the 7-day run matches every prediction, gap included
    expect(accuracy.overall.pending).toBe(0);
    expect(accuracy.overall.hitRate).toBeGreaterThan(0.5);
    expect(Object.keys(accuracy.bySymbol)).toEqual(['AAPL', 'GOOG', 'MSFT']);
    expect(Object.keys(accuracy.byModel)).toEqual(['lstm-v3', 'xgb-v2']);
    expect(accuracy.reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(accuracy.overall.n);
  });

  it('ranks the symbols every replayed day, with a per-factor breakdown that adds up to the score', () => {
    const trading = first.trading;
    expect(trading).toBeDefined();
    if (!trading) return;
    const lastDay = dayInfo(first.clock.endDate);
    expect(trading.rankings.map((r) => r.asOf)).toEqual(rankingTimes(lastDay));
    expect(trading.runs).toBeGreaterThan(trading.rankings.length * 5);
    expect(trading.top.length).toBe(3);
    for (const entry of trading.top.filter((e) => e.score !== null)) {
      const total = entry.breakdown.reduce((sum, factor) => sum + factor.contribution, 0);
      expect(total).toBeCloseTo(entry.score as number, 1);
    }
    expect(trading.top[0]?.rank).toBe(1);
    expect(first.sessions?.bySession.regular?.n).toBeGreaterThan(0);
  });

  it('reports the reduction measured from the exported spans: the same figure Σ 1/p over the file gives', () => {
    const measured = first.sampling?.measured;
    expect(measured).toBeDefined();
    if (!measured) return;
    let estimated = 0;
    for (const span of firstSpans) {
      const p = numberAttr(span, 'sampling.probability');
      estimated += typeof p === 'number' && p > 0 ? 1 / p : 1;
    }
    const fromFile = (1 - firstSpans.length / estimated) * 100;
    expect(measured.spans).toBe(firstSpans.length);
    expect(Math.abs((measured.reductionPct ?? 0) - fromFile)).toBeLessThanOrEqual(1);
    // the report prints that figure, and labels the modelled one as such
    expect(firstReport).toContain(`${fromFile.toFixed(1)} % fewer spans`);
    expect(firstReport).toMatch(/Modelled, not measured: .* fewer spans/);
    expect(measured.bytes).toBe(
      readFileSync(spansFile, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .reduce((sum, line) => sum + Buffer.byteLength(line), 0),
    );
    expect(measured.costPerDay).toBeGreaterThan(0);
    expect(measured.costPerDayUnsampled).toBeGreaterThan(measured.costPerDay);
  });

  it('exports every error trace and every high-value trace whole', () => {
    const measured = first.sampling?.measured;
    const errorSpans = firstSpans.filter(
      (s) => s.status?.code === 2 || (s.events ?? []).some((e) => e.name === 'exception'),
    );
    expect(errorSpans.length).toBeGreaterThan(0);
    // both failed invocations, and every span of their traces at p = 1, kept for the error
    const errorTraces = new Set(errorSpans.map((s) => s.traceId));
    expect(errorTraces.size).toBe(2);
    for (const span of firstSpans.filter((s) => errorTraces.has(s.traceId))) {
      expect(attr(span, 'sampling.kept_reason')?.stringValue).toBe('error');
      expect(numberAttr(span, 'sampling.probability')).toBe(1);
    }
    expect(measured?.errorTraces).toEqual({ expected: 2, exported: 2, missing: [] });
    expect(measured?.highValueTraces.expected).toBeGreaterThan(0);
    expect(measured?.highValueTraces.missing).toEqual([]);
    expect(measured?.errorTracesNotKept).toBe(0);
  });

  it('stamps spans, logs and metrics with the replayed days, in the demo partition', () => {
    const dates = new Set(
      firstSpans.map((s) => etDate(new Date(Number(BigInt(s.startTimeUnixNano) / 1_000_000n)))),
    );
    expect(dates.size).toBe(6);
    expect(first.sampling?.measured?.etDates).toEqual([...dates].sort());
    for (const span of firstSpans) expect(attr(span, 'data.partition')?.stringValue).toBe('demo');
    // the failed invocations' error lines, at their replayed instants
    const errors = logs
      .json<{ timestamp: string; level: string; 'data.partition'?: string }>()
      .filter((line) => line.level === 'ERROR');
    expect(errors).toHaveLength(2);
    const failureTimes = (first.failures ?? []).filter((f) => f.errorStep).map((f) => f.at);
    expect(errors.map((line) => line.timestamp.slice(0, 16))).toEqual(
      failureTimes.map((t) => t.slice(0, 16)),
    );
    for (const line of errors) expect(line['data.partition']).toBe('demo');
    // business metrics: the demo's dimension and the replayed minute; volume metrics: real time, no partition
    const emf = readFileSync(metricsFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: { Timestamp: number } });
    const accuracy = emf.filter((doc) => 'DirectionalAccuracy' in doc);
    expect(accuracy.length).toBeGreaterThan(0);
    for (const doc of accuracy) {
      expect(doc.DataPartition).toBe('demo');
      expect(doc._aws.Timestamp).toBeLessThan(Date.parse(first.clock.now) + 60_000);
    }
    const volumes = emf.filter((doc) => 'SpansStarted' in doc);
    expect(volumes.length).toBeGreaterThan(0);
    for (const doc of volumes) expect(doc._aws.Timestamp).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it('counts the four dashboards', () => {
    expect(first.dashboards?.count).toBe(4);
    expect(first.dashboards?.widgets).toBeGreaterThanOrEqual(15);
    expect(first.dashboards?.json).toBeUndefined();
  });

  it('prints every section of the report', () => {
    for (const heading of [
      "A real day's failures",
      'Are the models right?',
      'Reliability',
      'Where are the opportunities?',
      'Which session do the models do best in?',
      'What does observing it cost? (measured from spans.jsonl)',
      'Can analysts see it?',
    ]) {
      expect(firstReport).toContain(heading);
    }
    expect(firstReport).toContain('3 symbols scored');
    expect(firstReport).toContain('all 3 shown');
  });

  it('gives the same report on a second run, without double-counting', async () => {
    const second = await run();
    expect(second.accuracy?.overall.n).toBe(first.accuracy?.overall.n);
    expect(second.sessions?.validations).toBe(first.sessions?.validations);
    expect(formatReport(second)).toBe(firstReport);
  }, 300_000);
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

  it('returns the four SigNoz dashboards, in both formats, for demo_type dashboards', async () => {
    const result = (await handler(
      { demo_type: 'dashboards' },
      lambdaContext('observability-demo'),
    )) as DemoResult;
    expect(result.ok).toBe(true);
    expect(result.dashboards?.count).toBe(4);
    const json = result.dashboards?.json as Record<
      string,
      { v5: { widgets: unknown[] }; v6: { schemaVersion: string; spec: { refreshInterval: string } } }
    >;
    expect(Object.keys(json)).toHaveLength(4);
    for (const dashboard of Object.values(json)) {
      expect(dashboard.v5.widgets.length).toBeGreaterThan(0);
      expect(dashboard.v6).toMatchObject({ schemaVersion: 'v6', spec: { refreshInterval: '30s' } });
    }
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
