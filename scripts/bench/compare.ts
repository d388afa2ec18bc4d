/**
 * `npx tsx scripts/bench/compare.ts [--ref=HEAD] [--rounds=40] [--cache] [--legacy-ref-env]`: the cold-start
 * A/B used to decide each layer optimisation. Builds the layer from the working tree and from
 * `layers/otel/src` at a git ref (read with `git archive`, nothing in the tree changes), then runs bare / ref /
 * working tree as fresh processes, interleaved, and prints medians, the paired differences and the exports
 * each variant delivered. `--legacy-ref-env`: the ref's layer reads the variables it read before the standard
 * OTEL_* names (SIGNOZ_OTLP_ENDPOINT, TELEMETRY_SAMPLING_ENABLED), so that it exports too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { addCodeCache, LAYER_ENTRY, layerBuildOptions, PROJECT_ROOT } from '../../lib/bundling';
import { startOtlpReceiver } from '../local/otlp-receiver';
import { buildColdVariants } from './build';
import { type ColdRun, runColdChild } from './cold';
import { cleanEnv, lambdaEnv } from './env';
import { pairedDifferences, summarize } from './stats';

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
}

/** Builds a layer from `srcDir` (a copy of layers/otel/src) into `outdir`; returns its NODE_PATH. */
function buildLayerFrom(srcDir: string, outdir: string, cache: boolean): string {
  const options = layerBuildOptions(outdir);
  buildSync({
    ...options,
    entryPoints: [path.join(srcDir, 'index.ts')],
    nodePaths: [path.join(PROJECT_ROOT, 'node_modules')],
  });
  if (cache) addCodeCache(path.dirname(options.outfile as string));
  return path.join(outdir, 'nodejs', 'node_modules');
}

async function main(): Promise<void> {
  const ref = option('ref', 'HEAD');
  const rounds = Number(option('rounds', '40'));
  const cache = process.argv.includes('--cache');
  const legacyRefEnv = process.argv.includes('--legacy-ref-env');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-compare-'));
  const receiver = await startOtlpReceiver();
  try {
    const refSrc = path.join(dir, 'ref');
    mkdirSync(refSrc);
    const relative = path.relative(PROJECT_ROOT, path.dirname(LAYER_ENTRY));
    const archive = execFileSync('git', ['archive', ref, relative], {
      cwd: PROJECT_ROOT,
      maxBuffer: 64 << 20,
    });
    execFileSync('tar', ['-x', '-C', refSrc, '--strip-components', String(relative.split('/').length)], {
      input: archive,
    });
    const built = await buildColdVariants(path.join(dir, 'handlers'));
    const legacyEnv = { SIGNOZ_OTLP_ENDPOINT: receiver.url, TELEMETRY_SAMPLING_ENABLED: 'false' };
    const variants: Array<{ name: string; file: string; nodePath: string; env?: Record<string, string> }> = [
      { name: 'bare', file: built.variants.bare.file, nodePath: '' },
      {
        name: ref,
        file: built.variants.layer.file,
        nodePath: buildLayerFrom(refSrc, path.join(dir, 'a'), cache),
        ...(legacyRefEnv ? { env: legacyEnv } : {}),
      },
      {
        name: 'working tree',
        file: built.variants.layer.file,
        nodePath: buildLayerFrom(path.dirname(LAYER_ENTRY), path.join(dir, 'b'), cache),
      },
    ];
    const runs = new Map<string, ColdRun[]>(variants.map((v) => [v.name, []]));
    const exports = new Map<string, number>(variants.map((v) => [v.name, 0]));
    const envOf = (v: (typeof variants)[number]) =>
      cleanEnv({ ...lambdaEnv(receiver.url), ...v.env, NODE_PATH: v.nodePath });
    for (const v of variants) await runColdChild(v.file, envOf(v));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(round + k) % variants.length] as (typeof variants)[number];
        const before = receiver.received.length;
        runs.get(v.name)?.push(await runColdChild(v.file, envOf(v)));
        exports.set(v.name, (exports.get(v.name) ?? 0) + receiver.received.length - before);
      }
    }
    const ready = (name: string) => (runs.get(name) ?? []).map((r) => r.readyMs);
    process.stdout.write(`${rounds} rounds${cache ? ', layers with code cache' : ''}\n`);
    for (const v of variants) {
      const own = runs.get(v.name) ?? [];
      const line = [
        v.name.padEnd(14),
        `ready ${summarize(ready(v.name)).median.toFixed(1)} ms`,
        `module load ${summarize(own.map((r) => r.initMs)).median.toFixed(1)} ms`,
        `first invocation ${summarize(own.map((r) => r.invokeMs)).median.toFixed(1)} ms`,
        `Δ bare ${summarize(pairedDifferences(ready(v.name), ready('bare'))).median.toFixed(1)} ms`,
        `Δ ${ref} ${summarize(pairedDifferences(ready(v.name), ready(ref))).median.toFixed(1)} ms`,
        `exports ${exports.get(v.name)}/${rounds}`,
      ];
      process.stdout.write(`${line.join('  ')}\n`);
    }
  } finally {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`compare failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
