/**
 * A week of 10 000 predictions validates in one invocation. The time is measured and printed (timing
 * belongs in benchmarks, not assertions); the test checks that all 10 000 were validated and stored.
 */
import { initTelemetry, MemorySink } from '@trading-observability/otel';
import type { Context } from 'aws-lambda';
import type { TrackerResult } from '../../../lambdas/dual-accuracy-tracker/service';
import { Limits } from '../../../lambdas/shared/schemas';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { lambdaContext, loadHandler } from '../../../scripts/local/runtime';
import { lcg, type PredictionPoint, type PricePoint, readStocks } from './stocks';

jest.setTimeout(240_000);

type Handler = (event: unknown, context: Context) => Promise<TrackerResult>;

const MINUTE = 60_000;
const NOW = Date.now();
const START = NOW - 7 * 24 * 60 * MINUTE + 30 * MINUTE;
const POINTS_PER_SYMBOL = 672; // every 15 minutes for 7 days
const MODELS = ['lstm-v3', 'xgb-v2', 'prophet-v1', 'naive-v1'];
const PER_MODEL_AND_SYMBOL = 500; // 5 symbols × 4 models × 500 = 10 000

let store: EmbeddedDynamo;
let handler: Handler;
const logSink = new MemorySink();

function workload(): { prices: PricePoint[]; predictions: PredictionPoint[] } {
  const random = lcg(7);
  const prices: PricePoint[] = [];
  const predictions: PredictionPoint[] = [];
  for (const [symbol, closes] of readStocks()) {
    const series = Array.from({ length: POINTS_PER_SYMBOL }, (_, i) => ({
      symbol,
      timestamp: new Date(START + i * 15 * MINUTE).toISOString(),
      // The real monthly closes, cycled, with a small seeded wiggle so consecutive points differ.
      price: Math.round((closes[i % closes.length] as number) * (1 + (random() - 0.5) * 0.01) * 100) / 100,
    }));
    prices.push(...series);
    for (const model of MODELS) {
      for (let k = 0; k < PER_MODEL_AND_SYMBOL; k++) {
        const base = series[k] as PricePoint;
        predictions.push({
          symbol,
          model,
          predictedAt: base.timestamp,
          targetTime: new Date(Date.parse(base.timestamp) + 30 * MINUTE).toISOString(),
          basePrice: base.price,
          predictedPrice: Math.round(base.price * (1 + (random() - 0.5) * 0.04) * 100) / 100,
          confidence: Math.round(random() * 1000) / 1000,
        });
      }
    }
  }
  return { prices, predictions };
}

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  Object.assign(process.env, store.env, { DATA_NAMESPACE: 'it-load' });
  handler = (await loadHandler('dual-accuracy-tracker')) as Handler;
  initTelemetry({ spanSink: new MemorySink(), metricsSink: new MemorySink(), logSink });
});

afterAll(async () => {
  await store?.stop();
});

it('validates a week of 10 000 predictions in one invocation', async () => {
  const { prices, predictions } = workload();
  expect(predictions).toHaveLength(10_000);
  const context = () => lambdaContext('dual-accuracy-tracker');
  const recordStarted = performance.now();
  expect(await handler({ action: 'record_prices', prices }, context())).toMatchObject({ ok: true });
  for (let i = 0; i < predictions.length; i += Limits.MAX_PREDICTIONS_PER_CALL) {
    const batch = predictions.slice(i, i + Limits.MAX_PREDICTIONS_PER_CALL);
    expect(await handler({ action: 'record_predictions', predictions: batch }, context())).toMatchObject({
      ok: true,
      recorded: batch.length,
    });
  }
  const recordMs = performance.now() - recordStarted;

  const started = performance.now();
  const result = await handler({ action: 'validate_all', lookback_days: 7 }, context());
  const validateMs = performance.now() - started;
  if (!result.ok || !('summary' in result)) throw new Error(JSON.stringify(result).slice(0, 500));
  process.stdout.write(
    `validate_all over ${result.summary.overall.n} predictions (${prices.length} prices, 5 symbols, ` +
      `embedded dynalite): ${validateMs.toFixed(0)} ms; recording them took ${recordMs.toFixed(0)} ms\n`,
  );
  const finished = logSink.json().find((line) => line.message === 'validate_all finished');
  process.stdout.write(`phases: ${JSON.stringify(finished)}\n`);
  expect(result.summary.overall.n).toBe(10_000);
  expect(result.summary.overall.pending).toBe(0);
  expect(Object.keys(result.summary.byModel)).toEqual([...MODELS].sort());
  expect(result.summary.overall.reliability.reduce((total, bin) => total + bin.count, 0)).toBe(10_000);

  // A re-run over the same week: the stored validations are unchanged, so only queries and the summary.
  const rerunStarted = performance.now();
  const rerun = await handler({ action: 'validate_all', lookback_days: 7 }, context());
  process.stdout.write(`re-run over the same week: ${(performance.now() - rerunStarted).toFixed(0)} ms\n`);
  if (!rerun.ok || !('summary' in rerun)) throw new Error(JSON.stringify(rerun).slice(0, 500));
  expect(rerun.summary.overall).toEqual(result.summary.overall);
});
