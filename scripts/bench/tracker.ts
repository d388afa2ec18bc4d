/**
 * Case 4, the tracker's metrics core: `summarize` (every group and metric of validate_all) on synthetic
 * matched predictions, and `validate_all` end to end over 10 000 stored predictions on the embedded store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { Limits } from '../../lambdas/shared/schemas';
import { initTelemetry, MemorySink } from '../../layers/otel/src';
import { startEmbeddedDynamo } from '../../scripts/local/embedded-dynamo';
import { lambdaContext, loadHandler } from '../../scripts/local/runtime';
import { FIXTURES } from './build';
import { runReportingChild } from './child-report';
import { cleanEnv } from './env';
import { lcg, MODELS } from './predictions';
import { type SampleSummary, summarize as summarizeSamples } from './stats';

export interface SummarizeResult {
  readonly predictions: number;
  readonly ms: SampleSummary;
  /** Predictions per second at the median time. */
  readonly perSecond: number;
}

/** Runs the summarize fixture in a fresh `node --expose-gc` process (bundled like a function). */
export async function runSummarizeCase(options: {
  sizes: ReadonlyArray<{ n: number; repetitions: number }>;
  progress: (line: string) => void;
}): Promise<SummarizeResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-summarize-'));
  try {
    const file = path.join(dir, 'summarize.js');
    await build({
      entryPoints: [path.join(FIXTURES, 'summarize.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    const { report } = await runReportingChild<Array<{ n: number; ms: number[] }>>(file, {
      nodeArgs: ['--expose-gc', '--max-old-space-size=4096'],
      env: cleanEnv({ BENCH_SIZES: JSON.stringify(options.sizes) }),
      label: 'summarize fixture',
    });
    return report.map(({ n, ms: times }) => {
      const ms = summarizeSamples(times);
      const perSecond = Math.round(n / (ms.median / 1000));
      options.progress(
        `  metrics core: summarize ${n.toLocaleString('en-US')} predictions: ${ms.median.toFixed(1)} ms ` +
          `(${(perSecond / 1e6).toFixed(2)} M/s)`,
      );
      return { predictions: n, ms, perSecond };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface ValidateAllResult {
  readonly predictions: number;
  readonly prices: number;
  /** The first run: matches, computes and writes 10 000 validations and the summary. */
  readonly firstRunMs: number;
  /** Re-runs over the same week: the validations are unchanged, so queries, matching and the summary. */
  readonly rerunMs: SampleSummary | null;
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
    const rerunMs = reruns.length > 0 ? summarizeSamples(reruns) : null;
    options.progress(
      `  validate_all over ${predictions.length} predictions: first run ${firstRunMs.toFixed(0)} ms` +
        (rerunMs ? `, re-run median ${rerunMs.median.toFixed(0)} ms` : ''),
    );
    return { predictions: predictions.length, prices: prices.length, firstRunMs, rerunMs, recordMs };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await store.stop();
  }
}
