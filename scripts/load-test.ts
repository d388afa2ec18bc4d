/**
 * tsx scripts/load-test.ts [--requests 5000] [--concurrency 20] [--endpoint http://127.0.0.1:3001]
 *                          [--time-limit-s 300] [--data-dir <dir>]
 *
 * A bounded load test of the local Lambda Invoke endpoint on loopback: `requests` record_predictions calls
 * (one prediction each, every one a distinct identity) from `concurrency` clients, then one validate_all
 * that must count every prediction exactly once (n + pending = requests: nothing lost, nothing doubled).
 *
 * Without --endpoint the endpoint runs in this process (scripts/local/invoke-api.ts over the embedded
 * store persisted in a fresh temporary directory, as `npm run local --data-dir <tmp>` would); with it, the
 * calls go to an endpoint already running (`npm run local`). Prices are recorded at every target time first
 * (not counted in the figures), so every prediction validates. Prints the report; exits 1 if any call
 * failed or any prediction was lost or doubled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PredictionInput as Prediction } from '../lambdas/shared/schemas';
import { TelemetryEnv, TelemetryMode } from '../layers/otel/src/constants';
import { startEmbeddedDynamo } from './local/embedded-dynamo';
import { startInvokeApi } from './local/invoke-api';
import { prepareLocalEnvironment } from './local/runtime';

export interface LoadTestOptions {
  readonly requests: number;
  readonly concurrency: number;
  /** An endpoint already running; else one is started in this process on a temporary store. */
  readonly endpoint?: string;
  /** Calls not started by then are not made (the report says so). */
  readonly timeLimitMs: number;
  /** Persist the in-process store here (kept); else a temporary directory (removed). */
  readonly dataDir?: string;
  /** The in-process store in memory instead of on disk, telemetry kept in memory (the test suite's quicker run). */
  readonly inMemory?: boolean;
}

export interface LoadTestReport {
  readonly endpoint: string;
  readonly requests: number;
  readonly completed: number;
  readonly failures: number;
  readonly failureSamples: readonly string[];
  readonly concurrency: number;
  readonly durationMs: number;
  readonly throughputPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
  /** From validate_all over the run's symbols and model. */
  readonly validated: number;
  readonly pending: number;
  readonly lost: number;
  readonly doubled: number;
  readonly timedOut: boolean;
  readonly validateAllMs: number;
}

export const LOAD_TEST_DEFAULTS = { requests: 5000, concurrency: 20, timeLimitMs: 300_000 } as const;

const FUNCTION = 'dual-accuracy-tracker';
const SYMBOL_COUNT = 25;
const SLOT_MINUTES = 30;
const MINUTE = 60_000;

/** Prediction `i` of the run: symbol i mod 25, a 30-minute slot per round of symbols, all in the last week. */
export function loadPrediction(i: number, model: string, end: number): Prediction {
  const symbol = `LT${String(i % SYMBOL_COUNT).padStart(2, '0')}`;
  const slot = Math.floor(i / SYMBOL_COUNT);
  const target = end - slot * SLOT_MINUTES * MINUTE;
  const basePrice = 50 + (i % 13);
  return {
    symbol,
    model,
    predictedAt: new Date(target - 15 * MINUTE).toISOString(),
    targetTime: new Date(target).toISOString(),
    basePrice,
    predictedPrice: basePrice + (i % 3 === 0 ? -0.5 : 0.5),
    confidence: 0.5 + (i % 5) / 10,
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

async function invoke(endpoint: string, payload: unknown, timeoutMs = 60_000): Promise<unknown> {
  const response = await fetch(`${endpoint}/2015-03-31/functions/${FUNCTION}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  const functionError = response.headers.get('x-amz-function-error');
  if (functionError) throw new Error(`FunctionError ${functionError}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

async function startInProcessEndpoint(
  dataDir: string,
  inMemory: boolean,
): Promise<{ url: string; close(): Promise<void> }> {
  process.env.DATA_NAMESPACE ??= 'load';
  process.env[TelemetryEnv.LOG_LEVEL] ??= 'ERROR';
  let store: { stop(): Promise<void> };
  if (inMemory) {
    const memory = await startEmbeddedDynamo();
    Object.assign(process.env, memory.env);
    process.env[TelemetryEnv.MODE] ??= TelemetryMode.OFF;
    store = memory;
  } else {
    store = await prepareLocalEnvironment({
      storeDir: path.join(dataDir, 'dynamodb'),
      telemetryDir: dataDir,
    });
  }
  const api = await startInvokeApi({ port: 0 });
  return {
    url: api.url,
    close: async () => {
      await api.close();
      await store.stop();
    },
  };
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestReport> {
  const temporary =
    options.endpoint || options.dataDir || options.inMemory
      ? undefined
      : mkdtempSync(path.join(tmpdir(), 'load-test-'));
  const local = options.endpoint
    ? undefined
    : await startInProcessEndpoint(options.dataDir ?? temporary ?? '', options.inMemory ?? false);
  const endpoint = options.endpoint ?? (local?.url as string);
  try {
    const runId = Date.now().toString(36);
    const model = `load-${runId}`;
    const end = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;
    const predictions = Array.from({ length: options.requests }, (_, i) => loadPrediction(i, model, end));
    const symbols = [...new Set(predictions.map((p) => p.symbol))].sort();

    // Prices at every target time (setup, not measured): each prediction then validates.
    const prices = predictions.map((p) => ({
      symbol: p.symbol,
      timestamp: p.targetTime,
      price: p.basePrice + 0.25,
    }));
    const unique = [...new Map(prices.map((p) => [`${p.symbol}@${p.timestamp}`, p])).values()];
    for (let i = 0; i < unique.length; i += 1000) {
      await invoke(endpoint, { action: 'record_prices', prices: unique.slice(i, i + 1000) });
    }

    const latencies: number[] = [];
    const failureSamples: string[] = [];
    let failures = 0;
    let next = 0;
    let timedOut = false;
    const started = performance.now();
    const deadline = started + options.timeLimitMs;
    const client = async () => {
      for (;;) {
        if (performance.now() > deadline) {
          timedOut = next < predictions.length;
          return;
        }
        const i = next++;
        if (i >= predictions.length) return;
        const callStarted = performance.now();
        try {
          const result = (await invoke(endpoint, {
            action: 'record_predictions',
            predictions: [predictions[i]],
          })) as { ok?: boolean; recorded?: number };
          if (result.ok !== true || result.recorded !== 1)
            throw new Error(JSON.stringify(result).slice(0, 200));
        } catch (error) {
          failures += 1;
          if (failureSamples.length < 5) failureSamples.push(`#${i}: ${(error as Error).message}`);
        } finally {
          latencies.push(performance.now() - callStarted);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, client));
    const durationMs = performance.now() - started;

    const validateStarted = performance.now();
    const validated = (await invoke(
      endpoint,
      { action: 'validate_all', lookback_days: 7, symbols, models: [model] },
      options.timeLimitMs,
    )) as { ok?: boolean; summary?: { overall?: { n?: number; pending?: number } } };
    const validateAllMs = performance.now() - validateStarted;
    const n = validated.summary?.overall?.n ?? 0;
    const pending = validated.summary?.overall?.pending ?? 0;
    const sent = latencies.length - failures;
    latencies.sort((a, b) => a - b);
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      endpoint,
      requests: options.requests,
      completed: latencies.length,
      failures,
      failureSamples,
      concurrency: options.concurrency,
      durationMs: Math.round(durationMs),
      throughputPerSecond: round((latencies.length / durationMs) * 1000),
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? 0),
      },
      validated: n,
      pending,
      lost: Math.max(0, sent - (n + pending)),
      doubled: Math.max(0, n + pending - sent),
      timedOut,
      validateAllMs: Math.round(validateAllMs),
    };
  } finally {
    await local?.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  if (index >= 0) return argv[index + 1];
  return argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  process.stderr.write(`warning: --${name} ${raw} is not a positive integer; using ${fallback}\n`);
  return fallback;
}

export function formatReport(report: LoadTestReport): string {
  return [
    `load test of ${report.endpoint}: ${report.completed}/${report.requests} record_predictions calls from ${report.concurrency} clients in ${(report.durationMs / 1000).toFixed(1)} s (${report.throughputPerSecond}/s)`,
    `failures: ${report.failures}${report.failureSamples.length ? ` (${report.failureSamples.join('; ')})` : ''}`,
    `latency: p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `validate_all (${report.validateAllMs} ms): ${report.validated} validated + ${report.pending} pending = ${report.validated + report.pending}; lost ${report.lost}, doubled ${report.doubled}${report.timedOut ? '; TIME LIMIT reached before every call was made' : ''}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const endpoint = flag(argv, 'endpoint');
  const dataDir = flag(argv, 'data-dir');
  const report = await runLoadTest({
    requests: positive(flag(argv, 'requests'), LOAD_TEST_DEFAULTS.requests, 'requests'),
    concurrency: positive(flag(argv, 'concurrency'), LOAD_TEST_DEFAULTS.concurrency, 'concurrency'),
    timeLimitMs:
      positive(flag(argv, 'time-limit-s'), LOAD_TEST_DEFAULTS.timeLimitMs / 1000, 'time-limit-s') * 1000,
    ...(endpoint ? { endpoint: endpoint.replace(/\/+$/, '') } : {}),
    ...(dataDir ? { dataDir: path.resolve(dataDir) } : {}),
  });
  process.stdout.write(`${formatReport(report)}\n${JSON.stringify(report)}\n`);
  const clean = report.failures === 0 && report.lost === 0 && report.doubled === 0 && !report.timedOut;
  process.exitCode = clean ? 0 : 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`load test failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
