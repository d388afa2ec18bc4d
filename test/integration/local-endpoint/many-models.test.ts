/**
 * Never blind: `validate_all` over a window holding 5 000 distinct model ids, called as a user would — `npm run
 * local` as a child process and the real AWS CLI with `--payload file://…` (payloads beyond the command line's
 * limit). The call answers ok:true with a bounded summary that says what it left out, the summary is stored,
 * the alerting model among the 5 000 is counted and named, and the EMF the function wrote holds a bounded
 * number of distinct `Model` values (the watchlist, capped), never the callers' 5 000.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SUMMARY_MAX_GROUPS } from '../../../lambdas/dual-accuracy-tracker/summary-limits';
import { MAX_STORED_SUMMARY_CHARS } from '../../../lambdas/dual-accuracy-tracker/summary-store';
import { WatchlistDefaults } from '../../../lambdas/shared/config';
import { Limits } from '../../../lambdas/shared/schemas';
import { type AwsCli, cliInvoke, detectAwsCli } from './aws-cli';
import { type EndpointProcess, startEndpointProcess } from './endpoint-process';

jest.setTimeout(600_000);

const TRACKER = 'dual-accuracy-tracker';
const MINUTE = 60_000;
const NOW = Date.now();
const SYMBOLS = ['AAPL', 'MSFT', 'IBM', 'GOOG', 'AMZN'];
const MANY = 5_000;
/** Model ids at the longest the schema allows (64 characters): the worst case for the summary's size. */
const modelId = (i: number) => `model-${String(i).padStart(5, '0')}-`.padEnd(64, 'x');
/** Three models with enough validations to be judged: one right 80 % of the time, one a coin flip, one 20 %. */
const JUDGED = { 'judged-good': 0.8, 'judged-coin': 0.5, 'judged-bad': 0.2 } as const;
const PER_JUDGED = 60;
/** More watched models than the cap: the EMF must stop at the cap. */
const WATCHED = [...Object.keys(JUDGED), ...Array.from({ length: 30 }, (_, i) => modelId(i))];

const scratch = mkdtempSync(path.join(tmpdir(), 'many-models-'));
const dataDir = path.join(scratch, 'data');
let endpoint: EndpointProcess | undefined;
let cli: AwsCli | Error;

/** A target time in the scheduled run's window (the last 30 minutes), one per index, per symbol. */
const targetOf = (i: number) => new Date(NOW - 25 * MINUTE + (i % 1200) * 1000).toISOString();

function predictionsAndPrices() {
  const predictions: Array<Record<string, unknown>> = [];
  const prices = new Map<string, { symbol: string; timestamp: string; price: number }>();
  const add = (model: string, i: number, hit: boolean) => {
    const symbol = SYMBOLS[i % SYMBOLS.length] as string;
    const targetTime = targetOf(i);
    predictions.push({
      symbol,
      model,
      predictedAt: new Date(Date.parse(targetTime) - 60 * MINUTE).toISOString(),
      targetTime,
      basePrice: 100,
      // The price at the target is 101 (up): predicting up is a hit, down a miss.
      predictedPrice: hit ? 102 : 98,
      confidence: 0.7,
    });
    prices.set(`${symbol}@${targetTime}`, { symbol, timestamp: targetTime, price: 101 });
  };
  for (let i = 0; i < MANY; i++) add(modelId(i), i, i % 3 !== 0);
  Object.entries(JUDGED).forEach(([model, skill], m) => {
    for (let k = 0; k < PER_JUDGED; k++) add(model, MANY + m * PER_JUDGED + k, k < skill * PER_JUDGED);
  });
  return { predictions, prices: [...prices.values()] };
}

/** `aws lambda invoke --payload file://…` as a user does for payloads beyond the command line's limit. */
async function invokeFile(name: string, payload: unknown): Promise<Record<string, unknown>> {
  if (cli instanceof Error) throw cli;
  if (!endpoint) throw new Error('npm run local is not running (see beforeAll)');
  const file = path.join(scratch, `${name}.json`);
  writeFileSync(file, JSON.stringify(payload));
  const run = await cliInvoke(cli, scratch, {
    endpoint: endpoint.url,
    functionName: TRACKER,
    payload: `file://${file}`,
  });
  if (run.code !== 0) throw new Error(`aws lambda invoke failed (${run.code}): ${run.stderr}`);
  expect(JSON.parse(run.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
  return JSON.parse(run.outfile ?? 'null') as Record<string, unknown>;
}

type EmfDocument = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }>; Dimensions: string[][] }> };
};

beforeAll(async () => {
  const [started, detected] = await Promise.allSettled([
    startEndpointProcess({
      dataDir,
      env: { METRIC_MODEL_WATCHLIST: WATCHED.join(',') },
    }),
    detectAwsCli(scratch),
  ]);
  if (started.status === 'fulfilled') endpoint = started.value;
  cli = detected.status === 'fulfilled' ? detected.value : new Error(String(detected.reason));
  if (started.status === 'rejected') throw started.reason;
}, 120_000);

afterAll(async () => {
  await endpoint?.stop();
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('validate_all over 5 000 model ids, through npm run local and the AWS CLI', () => {
  let summary: Record<string, unknown> & {
    byModel: Record<string, { n: number }>;
    alerts: Array<{ scope: string; key: string }>;
    alertingGroups: Record<string, number>;
    shortened?: { maxGroups: number; byModel?: { groups: number; n: number } };
  };

  it('records the predictions (file payloads of up to 5 000) and their prices', async () => {
    const { predictions, prices } = predictionsAndPrices();
    expect(new Set(predictions.map((p) => p.model)).size).toBe(MANY + Object.keys(JUDGED).length);
    for (let i = 0; i < prices.length; i += Limits.MAX_PRICES_PER_CALL) {
      const recorded = await invokeFile('prices', {
        action: 'record_prices',
        prices: prices.slice(i, i + Limits.MAX_PRICES_PER_CALL),
      });
      expect(recorded.ok).toBe(true);
    }
    for (let i = 0; i < predictions.length; i += Limits.MAX_PREDICTIONS_PER_CALL) {
      const batch = predictions.slice(i, i + Limits.MAX_PREDICTIONS_PER_CALL);
      expect(
        await invokeFile('predictions', { action: 'record_predictions', predictions: batch }),
      ).toMatchObject({
        ok: true,
        recorded: batch.length,
      });
    }
  });

  it('answers ok:true in one call, with a bounded summary that says what it left out', async () => {
    // The scheduled run's own payload: its metrics are the ones the alarms read.
    const result = await invokeFile('validate', { action: 'validate_all', lookback_minutes: 30 });
    expect(result.ok).toBe(true);
    summary = result.summary as typeof summary;
    expect((summary.overall as { n: number }).n).toBe(MANY + Object.keys(JUDGED).length * PER_JUDGED);
    expect(Object.keys(summary.byModel)).toHaveLength(SUMMARY_MAX_GROUPS);
    expect(summary.shortened?.maxGroups).toBe(SUMMARY_MAX_GROUPS);
    expect(summary.shortened?.byModel?.groups).toBe(MANY + Object.keys(JUDGED).length - SUMMARY_MAX_GROUPS);
    // Kept: the alerting model first, then the largest by n (the judged ones with 60 each).
    for (const model of Object.keys(JUDGED)) expect(summary.byModel[model]?.n).toBe(PER_JUDGED);
    expect(summary.alerts.filter((a) => a.scope === 'model').map((a) => a.key)).toEqual(['judged-bad']);
    expect(summary.alertingGroups.accuracyModels).toBe(1);
    expect(String(result.headline)).toMatch(
      /summary shortened to 50 groups per grouping \(4953 models left out\)/,
    );
    expect(JSON.stringify(summary).length).toBeLessThan(MAX_STORED_SUMMARY_CHARS);
  });

  it('stores that summary (report reads it back whole, not the fallback without groups)', async () => {
    const report = (await invokeFile('report', { action: 'report', limit: 1 })) as {
      ok: boolean;
      summaries: Array<{ summary: Record<string, unknown> }>;
    };
    expect(report.ok).toBe(true);
    const stored = report.summaries[0]?.summary;
    expect(stored?.omitted).toBeUndefined();
    expect(Object.keys(stored?.byModel as object)).toEqual(Object.keys(summary.byModel));
  });

  it('writes EMF with a bounded number of distinct Model values and the alerting count on the alarm’s series', () => {
    const documents = readFileSync(path.join(dataDir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as EmfDocument);
    const models = new Set(documents.map((d) => d.Model).filter((m) => m !== undefined));
    expect(models.size).toBeGreaterThan(0);
    expect(models.size).toBeLessThanOrEqual(WatchlistDefaults.DIMENSION_CAP);
    for (const model of models) expect(WATCHED).toContain(model);
    // The count the accuracy alarm reads: `[Service]` only, in the live partition, the alarms' run.
    const counts = documents.filter(
      (d) =>
        d.AccuracyAlertingModels !== undefined &&
        JSON.stringify(d._aws.CloudWatchMetrics[0]?.Dimensions) === '[["Service"]]',
    );
    expect(counts.map((d) => d.AccuracyAlertingModels)).toEqual([1]);
  });
});
