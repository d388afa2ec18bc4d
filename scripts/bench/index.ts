/**
 * `npm run bench [-- --quick] [-- --only=functions,cold,warm,sampler,metrics,validate,bundles]
 * [-- --rounds=N] [-- --ref=<commit>] [-- --functions=a,b] [-- --no-reference] [-- --without-node-options]
 * [-- --node=<path to a node binary>]`: every deployed function's
 * whole cold start and the layer's against a bare handler and the SDK-only floor, the layer's warm overhead,
 * the sampler's decision cost, the tracker's metrics core and the bundle sizes. Writes bench/results.json
 * and bench/results.md and prints the table. Not part of `npm test` (timings are not assertions).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/bundling';
import { runBundleCase } from './bundles';
import { runColdCase } from './cold';
import { runFunctionsCase } from './functions';
import { functionGoals } from './functions-report';
import { type BenchResults, type Machine, markdown } from './report';
import { runSamplerCase } from './sampler';
import { runSummarizeCase, runValidateAllCase } from './tracker';
import { runWarmCase } from './warm';

const CASES = ['functions', 'cold', 'warm', 'sampler', 'metrics', 'validate', 'bundles'] as const;
type CaseName = (typeof CASES)[number];

const PLAN = {
  quick: {
    functionRounds: 5,
    coldRounds: 10,
    warmInvocations: 1000,
    warmup: 200,
    samplerBatches: 10,
    samplerBatchSize: 20_000,
    sizes: [
      { n: 10_000, repetitions: 10 },
      { n: 100_000, repetitions: 3 },
      { n: 1_000_000, repetitions: 1 },
    ],
    validateReruns: 0,
  },
  full: {
    functionRounds: 20,
    coldRounds: 60,
    warmInvocations: 3000,
    warmup: 500,
    samplerBatches: 40,
    samplerBatchSize: 50_000,
    sizes: [
      { n: 10_000, repetitions: 30 },
      { n: 100_000, repetitions: 10 },
      { n: 1_000_000, repetitions: 3 },
    ],
    validateReruns: 2,
  },
} as const;

interface Args {
  readonly quick: boolean;
  readonly only: Set<CaseName>;
  /** Rounds of the cold cases (functions, cold), overriding the plan. */
  readonly rounds: number | undefined;
  /** The functions case also runs the assets synthesized at this git ref. */
  readonly ref: string | undefined;
  readonly functions: string[] | undefined;
  readonly references: boolean;
  readonly withoutNodeOptions: boolean;
  /** The functions case's children run on this `node` (e.g. Node 22, as Lambda). */
  readonly node: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = argv.includes('--quick');
  const rounds = value('rounds') === undefined ? undefined : Number(value('rounds'));
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds > 0)) {
    throw new Error(`--rounds must be a positive integer, got ${value('rounds')}`);
  }
  const onlyArg = argv.find((arg) => arg.startsWith('--only='));
  const only = new Set<CaseName>(
    onlyArg
      ? (onlyArg
          .slice('--only='.length)
          .split(',')
          .filter((name): name is CaseName => (CASES as readonly string[]).includes(name)) as CaseName[])
      : CASES,
  );
  return {
    quick,
    only,
    rounds,
    ref: value('ref'),
    functions: value('functions')?.split(','),
    references: !argv.includes('--no-reference'),
    withoutNodeOptions: argv.includes('--without-node-options'),
    node: value('node'),
  };
}

function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** Writes the table formatted as the repository's formatter would (aligned columns), so `npm run lint` passes. */
function writeMarkdown(file: string, text: string): string {
  writeFileSync(file, text);
  const biome = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'biome');
  spawnSync(biome, ['format', '--write', file], { cwd: PROJECT_ROOT, stdio: 'ignore' });
  return readFileSync(file, 'utf8');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { quick, only, rounds, ref, functions: functionNames, references } = args;
  const plan = quick ? PLAN.quick : PLAN.full;
  const started = performance.now();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const errors: Record<string, string> = {};
  const attempt = async <T>(
    name: CaseName,
    title: string,
    run: () => Promise<T> | T,
  ): Promise<T | undefined> => {
    if (!only.has(name)) return undefined;
    progress(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${title}`);
    try {
      return await run();
    } catch (error) {
      errors[name] = (error as Error).message.split('\n')[0] ?? String(error);
      progress(`  ${name} failed: ${errors[name]}`);
      return undefined;
    }
  };
  const info = machine();
  progress(`bench (${quick ? 'quick' : 'full'}) on ${info.cpu}, ${info.cores} cores, Node ${info.node}`);

  const functionRounds = rounds ?? plan.functionRounds;
  const functions = await attempt('functions', `functions: ${functionRounds} rounds`, () =>
    runFunctionsCase({
      rounds: functionRounds,
      ...(ref ? { ref } : {}),
      ...(functionNames ? { functions: functionNames } : {}),
      references,
      withoutNodeOptions: args.withoutNodeOptions,
      ...(args.node ? { node: args.node } : {}),
      progress,
    }),
  );
  const coldRounds = rounds ?? plan.coldRounds;
  const cold = await attempt('cold', `cold init: ${coldRounds} rounds × 5 variants`, () =>
    runColdCase({ rounds: coldRounds, progress }),
  );
  const warm = await attempt('warm', `warm invocations: ${plan.warmInvocations} per variant`, () =>
    runWarmCase({ invocations: plan.warmInvocations, warmup: plan.warmup, progress }),
  );
  const sampler = await attempt('sampler', 'sampler decision cost', () =>
    runSamplerCase({ batches: plan.samplerBatches, batchSize: plan.samplerBatchSize, progress }),
  );
  const summarize = await attempt('metrics', 'metrics core: summarize (own process)', () =>
    runSummarizeCase({ sizes: plan.sizes, progress }),
  );
  const validateAll = await attempt('validate', 'validate_all on the embedded store', () =>
    runValidateAllCase({ reruns: plan.validateReruns, progress }),
  );
  const bundles = await attempt('bundles', 'bundle sizes', () => runBundleCase(progress));

  const layer = cold?.variants.find((v) => v.variant === 'layer');
  const layerOver = layer?.overVsBare?.median ?? null;
  const cachedOver = cold?.variants.find((v) => v.variant === 'layer+cache')?.overVsBare?.median ?? null;
  const warmAll = warm?.[0]?.overhead.median ?? null;
  const ours = sampler?.find((s) => s.sampler.startsWith('BusinessAware'))?.ratioToTraceIdRatio ?? null;
  const million = summarize?.find((s) => s.predictions === 1_000_000)?.perSecond ?? null;
  const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  const results: BenchResults = {
    machine: info,
    mode: quick ? 'quick' : 'full',
    durationS: Math.round((performance.now() - started) / 100) / 10,
    goals: {
      ...(functions ? functionGoals(functions) : {}),
      'cold-init overhead of the layer (median Δ vs bare, ms)': {
        target: '≤ 25',
        value: round1(layerOver),
        met: layerOver === null ? null : layerOver <= 25,
      },
      'naive overhead ÷ layer overhead (same run)': {
        target: '≥ 3',
        value: cold?.naiveOverLayer ?? null,
        met: cold?.naiveOverLayer == null ? null : cold.naiveOverLayer >= 3,
      },
      'cold-init overhead, layer + code cache of the same Node (median Δ vs bare, ms)': {
        target: '≤ 25',
        value: round1(cachedOver),
        met: cachedOver === null ? null : cachedOver <= 25,
      },
      'naive overhead ÷ layer + code cache overhead (same run)': {
        target: '≥ 3',
        value: cold?.naiveOverCachedLayer ?? null,
        met: cold?.naiveOverCachedLayer == null ? null : cold.naiveOverCachedLayer >= 3,
      },
      'warm overhead, 10 spans + flush (p50, ms)': {
        target: '≤ 2',
        value: warmAll === null ? null : Math.round(warmAll * 1000) / 1000,
        met: warmAll === null ? null : warmAll <= 2,
      },
      'sampler cost ÷ TraceIdRatioBased': {
        target: '≤ 2',
        value: ours,
        met: ours === null ? null : ours <= 2,
      },
      'summarize, 1 M predictions (predictions/s)': {
        target: '≥ 1 000 000',
        value: million,
        met: million === null ? null : million >= 1_000_000,
      },
    },
    ...(functions ? { functions } : {}),
    ...(cold ? { cold } : {}),
    ...(warm ? { warm } : {}),
    ...(sampler ? { sampler } : {}),
    ...(summarize ? { summarize } : {}),
    ...(validateAll ? { validateAll } : {}),
    ...(bundles ? { bundles } : {}),
    errors,
  };
  const outDir = path.join(PROJECT_ROOT, 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = writeMarkdown(path.join(outDir, 'results.md'), markdown(results));
  process.stdout.write(`\n${table}`);
  progress(`wrote bench/results.json and bench/results.md in ${results.durationS} s`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
