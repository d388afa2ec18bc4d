/**
 * dual-accuracy-tracker end to end on the embedded DynamoDB: a real price series (vega-datasets stocks.csv)
 * and seeded predictions are recorded through the handler, validated, and the summary is checked against
 * an independent count. Re-recording, bad payloads and a retried invocation must not change the data.
 */
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { initTelemetry, MemorySink } from '@trading-observability/otel';
import type { Context } from 'aws-lambda';
import type { TrackerResult, TrackerSummary } from '../../../lambdas/dual-accuracy-tracker/service';
import { documentClient } from '../../../lambdas/shared/store';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { lambdaContext, loadHandler } from '../../../scripts/local/runtime';
import { countPages } from '../../support/count-pages';
import { checkEmfDocument } from '../../support/emf-rules';
import { layPrices, type PredictionPoint, predictionsFor, readStocks } from './stocks';

jest.setTimeout(120_000);

type Handler = (event: unknown, context: Context) => Promise<TrackerResult>;

const HOUR = 3_600_000;
const NOW = Date.now();
const START = NOW - 6 * 24 * HOUR; // 123 hourly points per symbol end ≈ 22 h ago: inside a 7-day window
const MODELS = { 'lstm-v3': 0.8, 'naive-v1': 0.5 } as const;

let store: EmbeddedDynamo;
let handler: Handler;
let client: DynamoDBDocumentClient;
const spanSink = new MemorySink();
const metricsSink = new MemorySink();

const prices = layPrices(readStocks(), START, 60);
// Made at each point for 45 min later: the first price at or after the target is the next point (+15 min).
const predictions = predictionsFor(prices, MODELS, 45, 42);
const lastBySymbol = new Map(prices.map((p) => [p.symbol, p.timestamp]));
// Due 90 min after the last price: in the window, no price → pending.
const waiting: PredictionPoint[] = [...lastBySymbol].map(([symbol, last]) => ({
  symbol,
  model: 'lstm-v3',
  predictedAt: last,
  targetTime: new Date(Date.parse(last) + 90 * 60_000).toISOString(),
  basePrice: 100,
  predictedPrice: 101,
  confidence: 0.6,
}));
// Due 8 days ago: outside the window, not counted at all.
const stale: PredictionPoint = {
  symbol: 'IBM',
  model: 'lstm-v3',
  predictedAt: new Date(NOW - 8 * 24 * HOUR - HOUR).toISOString(),
  targetTime: new Date(NOW - 8 * 24 * HOUR).toISOString(),
  basePrice: 100,
  predictedPrice: 101,
  confidence: 0.6,
};
const allPredictions = [...predictions, ...waiting, stale];

/** The expected outcome, counted without the tracker's matching: the next point of the same symbol. */
function independentCount() {
  const next = new Map<string, number>();
  const bySymbol = new Map<string, typeof prices>();
  for (const p of prices) bySymbol.set(p.symbol, [...(bySymbol.get(p.symbol) ?? []), p]);
  for (const points of bySymbol.values()) {
    points.forEach((p, i) => {
      const following = points[i + 1];
      if (following) next.set(`${p.symbol}@${p.timestamp}`, following.price);
    });
  }
  const perModel: Record<string, { n: number; hits: number }> = {};
  let n = 0;
  let hits = 0;
  for (const p of predictions) {
    const actual = next.get(`${p.symbol}@${p.predictedAt}`) as number;
    const hit = Math.sign(p.predictedPrice - p.basePrice) === Math.sign(actual - p.basePrice);
    n += 1;
    hits += hit ? 1 : 0;
    const model = perModel[p.model] ?? { n: 0, hits: 0 };
    perModel[p.model] = model;
    model.n += 1;
    model.hits += hit ? 1 : 0;
  }
  return { n, hits, perModel };
}

function itemCount(): Promise<number> {
  // A scan here is the test counting the whole table, not the product's query path.
  return countPages((start) =>
    client.send(
      new ScanCommand({
        TableName: 'trading-observability-market',
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    ),
  );
}

async function invoke(
  event: unknown,
  context = lambdaContext('dual-accuracy-tracker'),
): Promise<TrackerResult> {
  return handler(JSON.parse(JSON.stringify(event)) as unknown, context);
}

function summaryOf(result: TrackerResult): TrackerSummary {
  if (!result.ok || !('summary' in result)) throw new Error(`validate_all failed: ${JSON.stringify(result)}`);
  return result.summary;
}

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  Object.assign(process.env, store.env, {
    DATA_NAMESPACE: 'it-tracker',
    METRIC_SYMBOL_WATCHLIST: 'AAPL,IBM',
    METRIC_MODEL_WATCHLIST: 'lstm-v3,naive-v1',
  });
  handler = (await loadHandler('dual-accuracy-tracker')) as Handler;
  initTelemetry({ spanSink, metricsSink, logSink: new MemorySink() });
  client = documentClient(store.endpoint);
});

afterAll(async () => {
  await store?.stop();
});

describe('dual-accuracy-tracker on embedded DynamoDB', () => {
  let first: TrackerSummary;

  it('records the real price series and the predictions', async () => {
    const recordedPrices = await invoke({ action: 'record_prices', prices });
    expect(recordedPrices).toEqual({
      ok: true,
      recorded: prices.length,
      symbols: ['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT'],
    });
    const recorded = await invoke({ action: 'record_predictions', predictions: allPredictions });
    expect(recorded).toMatchObject({ ok: true, recorded: allPredictions.length });
  });

  it('validate_all matches, counts and summarises as an independent count does, with queries only', async () => {
    const send = jest.spyOn(client, 'send');
    const result = await invoke({ action: 'validate_all', lookback_days: 7 });
    const commands = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();
    first = summaryOf(result);
    expect(result.ok && 'headline' in result && result.headline).toMatch(
      new RegExp(
        `^${first.overall.n} predictions validated, ${waiting.length} pending, over 7 days; hit rate `,
      ),
    );
    const expected = independentCount();
    expect(first.overall.n).toBe(expected.n);
    expect(first.overall.pending).toBe(waiting.length);
    expect(first.overall.hitRate).toBeCloseTo(expected.hits / expected.n, 12);
    for (const [model, counts] of Object.entries(expected.perModel)) {
      expect(first.byModel[model]?.n).toBe(counts.n);
      expect(first.byModel[model]?.hitRate).toBeCloseTo(counts.hits / counts.n, 12);
    }
    expect(Object.keys(first.bySymbol)).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    const sessions = Object.values(first.bySession).reduce((total, group) => total + (group?.n ?? 0), 0);
    expect(sessions).toBe(expected.n);
    expect(first.window.lookbackDays).toBe(7);
    expect(Date.parse(first.window.to) - Date.parse(first.window.from)).toBe(7 * 24 * HOUR);
    for (const figure of [
      first.overall.ece,
      first.overall.brier,
      first.overall.auroc,
      first.overall.spearman,
    ]) {
      expect(Number.isFinite(figure)).toBe(true);
    }
    expect(first.overall.reliability).toHaveLength(10);
    // The naive model calls directions at random: with n ≈ 600 its Wilson upper bound is below 60 %.
    expect(first.alerts.some((alert) => alert.scope === 'model' && alert.key === 'naive-v1')).toBe(
      (first.byModel['naive-v1']?.hitRateCi?.[1] ?? 1) < 0.6,
    );
    // Registry, three per symbol (predictions, prices, stored validations), this invocation's earlier
    // summary; then writes. No scans.
    expect(commands.filter((name) => name === 'QueryCommand')).toHaveLength(1 + 3 * 5 + 1);
    expect(commands.every((name) => name === 'QueryCommand' || name === 'BatchWriteCommand')).toBe(true);
  });

  it('persists one validation item per matched prediction with the fields trading-intelligence reads', async () => {
    const page = await client.send(new ScanCommand({ TableName: 'trading-observability-market' }));
    const validations = (page.Items ?? []).filter((item) => String(item.pk).startsWith('it-tracker#VAL#'));
    expect(validations).toHaveLength(first.overall.n);
    expect(Object.keys(validations[0] ?? {}).sort()).toEqual(
      expect.arrayContaining([
        'symbol',
        'model',
        'predictedAt',
        'targetTime',
        'basePrice',
        'predictedPrice',
        'confidence',
        'actualPrice',
        'actualTime',
        'session',
        'hit',
        'priceErrorPct',
        'predictedReturnPct',
        'actualReturnPct',
      ]),
    );
    expect(typeof validations[0]?.hit).toBe('boolean');
  });

  it('emits the spans and metrics the dashboards and the alarm read', () => {
    const spans = spanSink
      .json<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> }>()
      .flatMap((r) =>
        r.resourceSpans.flatMap((x) => x.scopeSpans.flatMap((s) => s.spans.map((span) => span.name))),
      );
    // Which spans are exported is the sampler's decision; that they were all started is the layer's count.
    expect(spans.length).toBeGreaterThan(0);
    const started = metricsSink
      .json<Record<string, unknown>>()
      .filter((d) => d.Category === 'ml_validation' && d.SpansStarted !== undefined)
      .flatMap((d) => (Array.isArray(d.SpansStarted) ? d.SpansStarted : [d.SpansStarted]) as number[])
      .reduce((total, count) => total + count, 0);
    // validate_all: one span per validated prediction, one per symbol batch, one summary (plus the invocation).
    expect(started).toBeGreaterThanOrEqual(first.overall.n + 5 + 1);
    type EmfDocument = Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }>; Dimensions: string[][] }> };
    };
    for (const document of metricsSink.json()) checkEmfDocument(document);
    const ours = metricsSink.json<EmfDocument>().filter((d) => d.Category === undefined);
    // Its partition is not live: every metric of the tracker says so (no alarm reads a DataPartition series),
    // and a 7-day validate_all is not the alarms' scheduled run.
    for (const d of ours) expect(d.DataPartition).toBe('it-tracker');
    expect(ours.filter((d) => d.ValidatedPredictions !== undefined).every((d) => d.Run === 'ad-hoc')).toBe(
      true,
    );
    const metricNames = ours.flatMap((d) =>
      d._aws.CloudWatchMetrics.flatMap((c) =>
        c.Metrics.map((m) => {
          const dimensions = (c.Dimensions[0] ?? []).filter(
            (name) => !['Service', 'DataPartition', 'Run'].includes(name),
          );
          return [...dimensions.map((name) => `${name}=${String(d[name])}`), m.Name].join(' ');
        }),
      ),
    );
    expect(metricNames).toEqual(
      expect.arrayContaining([
        'DirectionalAccuracy',
        'DirectionalAccuracyUpperBound',
        'AccuracyAlert',
        'ExpectedCalibrationError',
        'Model=lstm-v3 DirectionalAccuracy',
        'Model=naive-v1 AccuracyAlert',
        'Symbol=AAPL PriceErrorPct',
        'Symbol=IBM ValidatedPredictions',
        'Symbol=AAPL MarketDataLagSeconds',
        'AccuracyAlertingModels',
        'CalibrationAlertingSymbols',
      ]),
    );
    // Symbols off the watch-list get no per-symbol metric (bounded cardinality).
    expect(metricNames.some((name) => name.startsWith('Symbol=MSFT'))).toBe(false);
  });

  it('recording the same data again changes nothing: same item count, same n', async () => {
    const before = await itemCount();
    await invoke({ action: 'record_prices', prices });
    await invoke({ action: 'record_predictions', predictions: allPredictions });
    // The same prediction twice in one batch is one item.
    const twice = await invoke({
      action: 'record_predictions',
      predictions: [predictions[0], predictions[0]],
    });
    expect(twice).toEqual({ ok: true, recorded: 1, symbols: [predictions[0]?.symbol] });
    expect(await itemCount()).toBe(before);
    const send = jest.spyOn(client, 'send');
    const again = summaryOf(await invoke({ action: 'validate_all', lookback_days: 7 }));
    const writes = send.mock.calls.filter(([command]) => command.constructor.name === 'BatchWriteCommand');
    send.mockRestore();
    // Nothing changed, so no validation item is rewritten: the one write is the summary.
    expect(writes).toHaveLength(1);
    expect(again.overall.n).toBe(first.overall.n);
    expect(again.overall.pending).toBe(first.overall.pending);
    expect(again.overall.hitRate).toBe(first.overall.hitRate);
  });

  it('a run over validations already counted starts no span per prediction (each is counted once)', async () => {
    // As the 15-minute schedule over its 30-minute window: the next run sees the same validations again.
    metricsSink.clear();
    const again = summaryOf(await invoke({ action: 'validate_all', lookback_days: 7 }));
    expect(again.overall.n).toBe(first.overall.n);
    const started = metricsSink
      .json<Record<string, unknown>>()
      .filter((d) => d.Category === 'ml_validation' && d.SpansStarted !== undefined)
      .flatMap((d) => (Array.isArray(d.SpansStarted) ? d.SpansStarted : [d.SpansStarted]) as number[])
      .reduce((total, count) => total + count, 0);
    // Only the run's own: one span per symbol batch (5), the summary and the invocation; none of the n.
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThanOrEqual(5 + 2);
  });

  it('bad payloads answer ok:false and write nothing', async () => {
    const before = await itemCount();
    const bad = [
      { action: 'record_predictions', predictions: [{ ...predictions[0], confidence: 1.5 }] },
      { action: 'record_predictions', predictions: [predictions[0], { ...predictions[1], basePrice: -3 }] },
      {
        action: 'record_prices',
        prices: [{ symbol: 'not a symbol', timestamp: prices[0]?.timestamp, price: 1 }],
      },
      { action: 'record_prices', prices: [{ ...prices[0], extra: true }] },
      { action: 'validate_all', lookback_days: 'seven' },
      { action: 'drop_table' },
    ];
    for (const event of bad) {
      const result = await invoke(event);
      expect(result.ok).toBe(false);
    }
    expect(await itemCount()).toBe(before);
  });

  it('a retried invocation (same request id) overwrites its summary instead of adding one', async () => {
    const context = lambdaContext('dual-accuracy-tracker');
    const countSummaries = async () => {
      const result = await invoke({ action: 'report', limit: 50 });
      return result.ok && 'count' in result ? result.count : -1;
    };
    const before = await countSummaries();
    await invoke({ action: 'validate_all', lookback_days: 7 }, context);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await invoke({ action: 'validate_all', lookback_days: 7 }, context);
    expect(await countSummaries()).toBe(before + 1);
  });

  it('report returns the latest summaries, newest first', async () => {
    const result = await invoke({ action: 'report', limit: 2 });
    if (!result.ok || !('summaries' in result)) throw new Error(JSON.stringify(result));
    expect(result.count).toBe(2);
    expect((result.summaries[0]?.computedAt ?? '') >= (result.summaries[1]?.computedAt ?? '')).toBe(true);
    expect(result.summaries[0]?.summary.overall.n).toBe(first.overall.n);
    expect(result.summaries[0]?.headline).toMatch(new RegExp(`^${first.overall.n} predictions validated`));
    expect(result.summaries[0]?.summary.overall.hitRateCi).toEqual(first.overall.hitRateCi);
  });

  it('validate_all with symbol and model filters narrows the summary', async () => {
    const summary = summaryOf(
      await invoke({ action: 'validate_all', symbols: ['IBM'], models: ['lstm-v3'] }),
    );
    const expected = predictions.filter((p) => p.symbol === 'IBM' && p.model === 'lstm-v3').length;
    expect(summary.overall.n).toBe(expected);
    expect(summary.overall.pending).toBe(1);
    expect(Object.keys(summary.bySymbol)).toEqual(['IBM']);
    expect(Object.keys(summary.byModel)).toEqual(['lstm-v3']);
  });
});
