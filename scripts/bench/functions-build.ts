/**
 * What the functions case runs besides the synthesized assets: the runtime-like driver, the bare handler,
 * the SDK-only floor (bundled, and with the runtime's SDK), the layer alone, and the reference build of
 * each function (the function's own code, telemetry done "the way most teams do it").
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { LAYER_MODULE_NAME } from '../../layers/otel/src/constants';
import { functionBuildOptions, PROJECT_ROOT } from '../../lib/bundling';
import { FIXTURES } from './build';

export interface BuiltAsset {
  /** LAMBDA_TASK_ROOT */
  readonly dir: string;
  /** Bytes of `index.js`. */
  readonly bytes: number;
  readonly note: string;
  /** The bundle's largest inputs (package or source directory), when the bench built it. */
  readonly largest?: ReadonlyArray<{ readonly input: string; readonly bytes: number }>;
}

export function largestInputs(metafile: Metafile, top = 6): Array<{ input: string; bytes: number }> {
  const byGroup = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, info] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const group = match ? (match[1] as string) : path.dirname(file);
      byGroup.set(group, (byGroup.get(group) ?? 0) + info.bytesInOutput);
    }
  }
  return [...byGroup]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([input, bytes]) => ({ input, bytes }));
}

async function buildAsset(
  entry: string,
  dir: string,
  options: Partial<BuildOptions>,
  note: string,
): Promise<BuiltAsset> {
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'index.js');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
    metafile: true,
    ...options,
  });
  return {
    dir,
    bytes: statSync(outfile).size,
    note,
    ...(result.metafile ? { largest: largestInputs(result.metafile) } : {}),
  };
}

/** The product's function options (lib/bundling.ts), for the bench's own handlers. */
function asFunction(): Partial<BuildOptions> {
  const options = functionBuildOptions('unused');
  return {
    minify: options.minify ?? true,
    mainFields: options.mainFields ?? ['module', 'main'],
    external: [LAYER_MODULE_NAME, ...(options.external ?? [])],
    target: options.target ?? 'node22',
  };
}

export interface BenchHandlers {
  readonly driver: string;
  readonly bare: BuiltAsset;
  readonly floor: BuiltAsset;
  readonly floorRuntimeSdk: BuiltAsset;
  readonly layer: BuiltAsset;
  readonly floorWithLayer: BuiltAsset;
}

export async function buildBenchHandlers(dir: string): Promise<BenchHandlers> {
  const driverDir = path.join(dir, 'driver');
  mkdirSync(driverDir, { recursive: true });
  const driver = path.join(driverDir, 'driver.js');
  await build({
    entryPoints: [path.join(FIXTURES, 'lambda-driver.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: driver,
    logLevel: 'silent',
  });
  const fixture = (name: string) => path.join(FIXTURES, `${name}.ts`);
  return {
    driver,
    bare: await buildAsset(fixture('bare'), path.join(dir, 'bare'), asFunction(), 'no telemetry, no SDK'),
    floor: await buildAsset(
      fixture('sdk-floor'),
      path.join(dir, 'sdk-floor'),
      { minify: true, mainFields: ['module', 'main'] },
      '@aws-sdk/client-dynamodb bundled (ESM entry points, minified), one GetItem',
    ),
    floorRuntimeSdk: await buildAsset(
      fixture('sdk-floor'),
      path.join(dir, 'sdk-floor-runtime'),
      { minify: true, mainFields: ['module', 'main'], external: ['@aws-sdk/*'] },
      "the same, the SDK loaded from the runtime's node_modules",
    ),
    layer: await buildAsset(
      fixture('layer'),
      path.join(dir, 'layer'),
      asFunction(),
      'one span, one log line, one metric; the layer from the synthesized layer asset',
    ),
    floorWithLayer: await buildAsset(
      fixture('sdk-floor-layer'),
      path.join(dir, 'sdk-floor-layer'),
      { minify: true, mainFields: ['module', 'main'], external: [LAYER_MODULE_NAME] },
      'the SDK floor wrapped by the layer (one span, one log line, one metric): Δ vs SDK floor is the layer in a function',
    ),
  };
}

/**
 * zod as its documentation imports it (`import { z } from 'zod'`): the namespace as a value, so a bundle
 * keeps all of zod, locales included. The product imports `* as z`, which esbuild tree-shakes.
 */
const zodAsDocumented: Plugin = {
  name: 'zod-as-documented',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]lambdas[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        /^import \* as z from 'zod';$/m,
        "import { z } from 'zod';",
      ),
      loader: 'ts',
    }));
  },
};

/**
 * The reference build of one function: its own handler and domain code, with `@trading-observability/otel`
 * replaced by fixtures/reference-otel.ts (Powertools + OTel SDK + OTLP/HTTP exporter), zod imported as
 * documented (all of it), bundled as NodejsFunction does by default (CommonJS entry points, `@aws-sdk/*`
 * from the runtime) and minified.
 */
export async function buildReference(functionName: string, dir: string): Promise<BuiltAsset> {
  return buildAsset(
    path.join(PROJECT_ROOT, 'lambdas', functionName, 'handler.ts'),
    dir,
    {
      minify: true,
      external: ['@aws-sdk/*'],
      alias: { [LAYER_MODULE_NAME]: path.join(FIXTURES, 'reference-otel.ts') },
      plugins: [zodAsDocumented],
    },
    'NodejsFunction defaults + minify; SDK from the runtime; full zod; Powertools + OTel SDK + OTLP/HTTP exporter',
  );
}

/** The largest inputs of a function bundle built with the stack's options (what synth bundles). */
export async function functionLargestInputs(
  functionName: string,
): Promise<{ bytes: number; largest: Array<{ input: string; bytes: number }> }> {
  const result = await build({
    ...functionBuildOptions(path.join(PROJECT_ROOT, 'lambdas', functionName, 'handler.ts')),
    metafile: true,
  });
  const bytes = (result.outputFiles ?? []).reduce((sum, file) => sum + file.contents.length, 0);
  return { bytes, largest: result.metafile ? largestInputs(result.metafile) : [] };
}
