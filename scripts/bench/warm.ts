/** Case 2 driver: builds the warm fixture (layer external, as deployed) and runs it against the receiver. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { LAYER_MODULE_NAME } from '../../layers/otel/src/constants';
import { layerBuildOptions } from '../../lib/bundling';
import { startOtlpReceiver } from '../local/otlp-receiver';
import { FIXTURES } from './build';
import { runReportingChild } from './child-report';
import { cleanEnv, lambdaEnv } from './env';
import { pairedDifferences, type SampleSummary, summarize } from './stats';

export interface WarmScenarioResult {
  readonly scenario: string;
  readonly invocations: number;
  readonly bare: SampleSummary;
  readonly instrumented: SampleSummary;
  /** Per-pair difference instrumented − bare (ms). */
  readonly overhead: SampleSummary;
  readonly outcomes: Record<string, number>;
  readonly spansExported: number;
  /** Exports the receiver got, warm-up included. */
  readonly exportsReceivedWithWarmup: number;
}

interface WarmChildReport {
  bareMs: number[];
  instrumentedMs: number[];
  outcomes: Record<string, number>;
  exportedSpans: number;
  error?: string;
}

async function runChild(file: string, env: NodeJS.ProcessEnv): Promise<WarmChildReport> {
  const failed = (report: unknown) => (report as WarmChildReport).error ?? false;
  return (await runReportingChild<WarmChildReport>(file, { env, label: 'warm fixture', failed })).report;
}

export interface WarmOptions {
  readonly invocations: number;
  readonly warmup: number;
  readonly progress: (line: string) => void;
}

/** Two scenarios: every span exported (sampling off: the upper bound), and the sampler's defaults. */
export async function runWarmCase(options: WarmOptions): Promise<WarmScenarioResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-warm-'));
  const receiver = await startOtlpReceiver();
  let received = 0;
  // The receiver keeps what it got; the bench only counts it.
  const drain = setInterval(() => {
    received += receiver.received.length;
    receiver.received.length = 0;
  }, 200);
  try {
    const layerDir = path.join(dir, 'layer');
    await build(layerBuildOptions(layerDir));
    const file = path.join(dir, 'warm.js');
    await build({
      entryPoints: [path.join(FIXTURES, 'warm.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      external: [LAYER_MODULE_NAME],
      logLevel: 'silent',
    });
    const results: WarmScenarioResult[] = [];
    for (const [scenario, sampling] of [
      ['10 spans, all exported (sampling off)', 'always_on'],
      ['10 spans, default sampling', 'business_aware'],
    ] as const) {
      const before = received + receiver.received.length;
      const report = await runChild(
        file,
        cleanEnv({
          ...lambdaEnv(receiver.url),
          OTEL_TRACES_SAMPLER: sampling,
          NODE_PATH: path.join(layerDir, 'nodejs', 'node_modules'),
          BENCH_WARMUP: String(options.warmup),
          BENCH_INVOCATIONS: String(options.invocations),
        }),
      );
      const overhead = summarize(pairedDifferences(report.instrumentedMs, report.bareMs));
      results.push({
        scenario,
        invocations: options.invocations,
        bare: summarize(report.bareMs),
        instrumented: summarize(report.instrumentedMs),
        overhead,
        outcomes: report.outcomes,
        spansExported: report.exportedSpans,
        exportsReceivedWithWarmup: received + receiver.received.length - before,
      });
      options.progress(
        `  warm: ${scenario}: overhead p50 ${overhead.median.toFixed(3)} ms, p95 ${overhead.p95.toFixed(3)} ms`,
      );
    }
    return results;
  } finally {
    clearInterval(drain);
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
