/**
 * Case 4, the tracker's metrics core: `summarize` (every group and metric of validate_all) on synthetic
 * matched predictions, and `validate_all` end to end over 10 000 stored predictions on the embedded store.
 */
import type { Context } from 'aws-lambda';
import { MarketSession, type MatchedPrediction, summarize } from '../../lambdas/shared/accuracy';
import { Limits } from '../../lambdas/shared/schemas';
import { initTelemetry, MemorySink } from '../../layers/otel/src';
import { startEmbeddedDynamo } from '../../scripts/local/embedded-dynamo';
import { lambdaContext, loadHandler } from '../../scripts/local/runtime';
import { type SampleSummary, summarize as summarizeSamples } from './stats';

/** A small seeded generator (the workload must be the same in every run). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${i}`);
const MODELS = ['lstm-v3', 'xgb-v2', 'prophet-v1', 'naive-v1'];
const SESSIONS = [
  MarketSession.PreMarket,
  MarketSession.Regular,
  MarketSession.AfterHours,
  MarketSession.Closed,
];

export function matchedPredictions(n: number, seed = 42): MatchedPrediction[] {
  const random = lcg(seed);
  const start = Date.parse('2026-11-02T14:30:00.000Z');
  const out: MatchedPrediction[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const base = 50 + random() * 450;
    const t = start + (i % 10_000) * 60_000;
    out[i] = {
      symbol: SYMBOLS[i % SYMBOLS.length] as string,
      model: MODELS[(i >> 3) % MODELS.length] as string,
      predictedAt: new Date(t).toISOString(),
      targetTime: new Date(t + 1_800_000).toISOString(),
      basePrice: base,
      predictedPrice: base * (1 + (random() - 0.5) * 0.04),
      confidence: Math.round(random() * 1000) / 1000,
      actualPrice: base * (1 + (random() - 0.5) * 0.04),
      actualTime: new Date(t + 1_800_000).toISOString(),
      session: SESSIONS[i % 7 === 0 ? (i >> 4) % 4 : 1] as MarketSession,
    };
  }
  return out;
}

export interface SummarizeResult {
  readonly predictions: number;
  readonly ms: SampleSummary;
  /** Predictions per second at the median time. */
  readonly perSecond: number;
}

export function runSummarizeCase(options: {
  sizes: ReadonlyArray<{ n: number; repetitions: number }>;
  progress: (line: string) => void;
}): SummarizeResult[] {
  const window = { from: '2026-11-02T00:00:00.000Z', to: '2026-11-09T00:00:00.000Z', lookbackDays: 7 };
  // Warm-up on a small set so the first timed size does not pay compilation.
  for (let i = 0; i < 5; i++) summarize(matchedPredictions(5_000, 1), [], { window });
  const results: SummarizeResult[] = [];
  for (const { n, repetitions } of options.sizes) {
    const data = matchedPredictions(n);
    const times: number[] = [];
    let checked = 0;
    for (let r = 0; r < repetitions; r++) {
      const started = performance.now();
      const summary = summarize(data, [], { window });
      times.push(performance.now() - started);
      checked = summary.overall.n;
    }
    if (checked !== n) throw new Error(`summarize counted ${checked} of ${n} predictions`);
    const ms = summarizeSamples(times);
    const perSecond = Math.round(n / (ms.median / 1000));
    results.push({ predictions: n, ms, perSecond });
    options.progress(
      `  metrics core: summarize ${n.toLocaleString('en-US')} predictions: ${ms.median.toFixed(1)} ms ` +
        `(${(perSecond / 1e6).toFixed(2)} M/s)`,
    );
  }
  return results;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface ValidateAllResult {
  readonly predictions: number;
  readonly prices: number;
  /** The first run: matches, computes and writes 10 000 validations and the summary. */
  readonly firstRunMs: number;
  /** Re-runs over the same week: the validations are unchanged, so queries, matching and the summary. */
  readonly rerunMs: SampleSummary;
  readonly recordMs: number;
}

/** 5 symbols × 4 models × 500 predictions over a week of 15-minute prices (like the tracker's load test). */
function trackerWorkload(now: number) {
  const random = lcg(7);
  const minute = 60_000;
  const start = now - 7 * 24 * 60 * minute + 30 * minute;
  const prices: Array<{ symbol: string; timestamp: string; price: number }> = [];
  const predictions: Array<Record<string, unknown>> = [];
  for (const symbol of ['AAPL', 'MSFT', 'AMZN', 'IBM', 'GOOG']) {
    let price = 100 + random() * 200;
    const series = Array.from({ length: 672 }, (_, i) => {
      price = Math.max(1, price * (1 + (random() - 0.5) * 0.01));
      return {
        symbol,
        timestamp: new Date(start + i * 15 * minute).toISOString(),
        price: Math.round(price * 100) / 100,
      };
    });
    prices.push(...series);
    for (const model of MODELS) {
      for (let k = 0; k < 500; k++) {
        const base = series[k] as { timestamp: string; price: number };
        predictions.push({
          symbol,
          model,
          predictedAt: base.timestamp,
          targetTime: new Date(Date.parse(base.timestamp) + 30 * minute).toISOString(),
          basePrice: base.price,
          predictedPrice: Math.round(base.price * (1 + (random() - 0.5) * 0.04) * 100) / 100,
          confidence: Math.round(random() * 1000) / 1000,
        });
      }
    }
  }
  return { prices, predictions };
}

export async function runValidateAllCase(options: {
  reruns: number;
  progress: (line: string) => void;
}): Promise<ValidateAllResult> {
  const store = await startEmbeddedDynamo();
  const saved = { ...process.env };
  try {
    Object.assign(process.env, store.env, {
      DATA_NAMESPACE: 'bench',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      LOG_LEVEL: 'WARN',
    });
    const handler = (await loadHandler('dual-accuracy-tracker')) as Handler;
    initTelemetry({ spanSink: new MemorySink(), metricsSink: new MemorySink(), logSink: new MemorySink() });
    const { prices, predictions } = trackerWorkload(Date.now());
    const context = () => lambdaContext('dual-accuracy-tracker');
    const expectOk = (result: unknown) => {
      if ((result as { ok?: unknown }).ok !== true) throw new Error(JSON.stringify(result).slice(0, 300));
      return result as { ok: true; summary?: { overall: { n: number } } };
    };
    const recordStarted = performance.now();
    expectOk(await handler({ action: 'record_prices', prices }, context()));
    for (let i = 0; i < predictions.length; i += Limits.MAX_PREDICTIONS_PER_CALL) {
      const batch = predictions.slice(i, i + Limits.MAX_PREDICTIONS_PER_CALL);
      expectOk(await handler({ action: 'record_predictions', predictions: batch }, context()));
    }
    const recordMs = performance.now() - recordStarted;
    options.progress(
      `  validate_all: recorded ${predictions.length} predictions in ${recordMs.toFixed(0)} ms`,
    );
    const started = performance.now();
    const first = expectOk(await handler({ action: 'validate_all', lookback_days: 7 }, context()));
    const firstRunMs = performance.now() - started;
    if (first.summary?.overall.n !== predictions.length) {
      throw new Error(`validate_all validated ${first.summary?.overall.n} of ${predictions.length}`);
    }
    const reruns: number[] = [];
    for (let r = 0; r < options.reruns; r++) {
      const again = performance.now();
      expectOk(await handler({ action: 'validate_all', lookback_days: 7 }, context()));
      reruns.push(performance.now() - again);
    }
    const rerunMs = summarizeSamples(reruns);
    options.progress(
      `  validate_all over ${predictions.length} predictions: first run ${firstRunMs.toFixed(0)} ms, ` +
        `re-run median ${rerunMs.median.toFixed(0)} ms`,
    );
    return { predictions: predictions.length, prices: prices.length, firstRunMs, rerunMs, recordMs };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await store.stop();
  }
}
