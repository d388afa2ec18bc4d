/**
 * Case 1, cold init: one fresh `node` process per round and variant that loads the handler, serves one
 * invocation with `{}` and exits. Rounds are interleaved (A B C D, B C D A, …) so drift and background
 * load hit every variant alike; the overhead is the median of per-round differences against bare.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startOtlpReceiver } from '../local/otlp-receiver';
import { buildColdVariants } from './build';
import { notOk, runReportingChild } from './child-report';
import { cleanEnv, lambdaEnv } from './env';
import { pairedDifferences, ratio, type SampleSummary, summarize } from './stats';

export const COLD_VARIANTS = ['bare', 'layer', 'layer+cache', 'naive', 'auto'] as const;
export type ColdVariant = (typeof COLD_VARIANTS)[number];

export interface ColdRun {
  /** Spawn to exit, as the parent sees it (ms). */
  readonly wallMs: number;
  /** Inside the child: process start to invocation answered (performance.now(), ms). */
  readonly readyMs: number;
  /** Module load (first bundled statement to handler module loaded). */
  readonly initMs: number;
  /** The first invocation, until its promise resolved. */
  readonly invokeMs: number;
}

export interface ColdVariantResult {
  readonly variant: ColdVariant;
  readonly build: string;
  readonly bundleBytes: number;
  readonly wall: SampleSummary;
  readonly ready: SampleSummary;
  readonly init: SampleSummary;
  readonly invoke: SampleSummary;
  /** Per-round difference of `ready` against bare (the overhead figure). */
  readonly overVsBare: SampleSummary | null;
  /** Per-round difference of the spawn-to-exit time against bare. */
  readonly wallOverVsBare: SampleSummary | null;
  readonly ratioToBare: number | null;
}

export interface ColdResult {
  readonly rounds: number;
  readonly exportsReceived: number;
  readonly exportsExpected: number;
  readonly variants: ColdVariantResult[];
  /** naive overhead ÷ layer overhead (medians of the paired differences). */
  readonly naiveOverLayer: number | null;
  readonly naiveOverCachedLayer: number | null;
}

export async function runColdChild(file: string, env: NodeJS.ProcessEnv): Promise<ColdRun> {
  const { report, wallMs } = await runReportingChild<{ start: number; loaded: number; done: number }>(file, {
    env,
    label: path.basename(file),
    failed: notOk,
  });
  return {
    wallMs,
    readyMs: report.done,
    initMs: report.loaded - report.start,
    invokeMs: report.done - report.loaded,
  };
}

export interface ColdOptions {
  readonly rounds: number;
  readonly variants?: readonly ColdVariant[];
  readonly progress: (line: string) => void;
}

export async function runColdCase(options: ColdOptions): Promise<ColdResult> {
  const variants = options.variants ?? COLD_VARIANTS;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-cold-'));
  const receiver = await startOtlpReceiver();
  try {
    const built = await buildColdVariants(dir);
    const baseEnv = cleanEnv({ ...lambdaEnv(receiver.url), NODE_PATH: built.layerNodePath });
    const cachedEnv = cleanEnv({ ...lambdaEnv(receiver.url), NODE_PATH: built.cachedLayerNodePath });
    const envOf = (variant: ColdVariant) => (variant === 'layer+cache' ? cachedEnv : baseEnv);
    const runs = Object.fromEntries(variants.map((v) => [v, [] as ColdRun[]])) as Record<
      ColdVariant,
      ColdRun[]
    >;
    // One untimed round first: the page cache and the receiver are then warm for every variant.
    for (const variant of variants) await runColdChild(built.variants[variant].file, envOf(variant));
    receiver.received.length = 0;
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length] as ColdVariant;
        runs[variant].push(await runColdChild(built.variants[variant].file, envOf(variant)));
      }
      if ((round + 1) % 10 === 0 || round + 1 === options.rounds) {
        const medians = variants
          .map((v) => `${v} ${summarize(runs[v].map((r) => r.readyMs)).median.toFixed(1)}`)
          .join(', ');
        options.progress(`  cold: round ${round + 1}/${options.rounds} (median ms: ${medians})`);
      }
    }
    const exportsExpected = options.rounds * variants.filter((v) => v !== 'bare').length;
    const exportsReceived = receiver.received.length;
    const bare = runs.bare;
    const results: ColdVariantResult[] = variants.map((variant) => {
      const own = runs[variant];
      const over =
        variant === 'bare' || !bare
          ? null
          : summarize(
              pairedDifferences(
                own.map((r) => r.readyMs),
                bare.map((r) => r.readyMs),
              ),
            );
      const wallOver =
        variant === 'bare' || !bare
          ? null
          : summarize(
              pairedDifferences(
                own.map((r) => r.wallMs),
                bare.map((r) => r.wallMs),
              ),
            );
      const ready = summarize(own.map((r) => r.readyMs));
      return {
        variant,
        build: built.variants[variant].note,
        bundleBytes: built.variants[variant].bytes + (variant.startsWith('layer') ? built.layerBytes : 0),
        wall: summarize(own.map((r) => r.wallMs)),
        ready,
        init: summarize(own.map((r) => r.initMs)),
        invoke: summarize(own.map((r) => r.invokeMs)),
        overVsBare: over,
        wallOverVsBare: wallOver,
        ratioToBare: bare ? ratio(ready.median, summarize(bare.map((r) => r.readyMs)).median) : null,
      };
    });
    const layerOver = results.find((r) => r.variant === 'layer')?.overVsBare?.median;
    const cachedOver = results.find((r) => r.variant === 'layer+cache')?.overVsBare?.median;
    const naiveOver = results.find((r) => r.variant === 'naive')?.overVsBare?.median;
    return {
      rounds: options.rounds,
      exportsReceived,
      exportsExpected,
      variants: results,
      naiveOverLayer: layerOver !== undefined && naiveOver !== undefined ? ratio(naiveOver, layerOver) : null,
      naiveOverCachedLayer:
        cachedOver !== undefined && naiveOver !== undefined ? ratio(naiveOver, cachedOver) : null,
    };
  } finally {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
