import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { type BuildOptions, buildSync } from 'esbuild';
import { LAYER_MODULE_NAME } from '../layers/otel/src/constants';
import { StackError, StackErrorCode } from './errors';

/** Repository root (lib/ is one level below it). */
export const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * esbuild options shared by the CDK functions and the bundle tests, so that what is tested is what ships.
 * ESM entry points (`module` first) let esbuild tree-shake. The AWS SDK v3 clients a function uses are
 * bundled (tree-shaken, minified) rather than loaded from the nodejs22.x runtime's copy, which is a
 * node_modules tree of whole clients: bundled, a cold start loads a fraction of it (docs/benchmarks.md).
 * The layer module stays external, so no function carries the OpenTelemetry SDK again.
 * `alias`: the clients' default credential chain is replaced by the environment's credentials, which is what
 * the chain resolves to in Lambda (lambdas/shared/aws/environment-credentials.ts); paths are relative to
 * PROJECT_ROOT, where the bundler runs.
 */
export const FUNCTION_BUNDLING = {
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  externalModules: [LAYER_MODULE_NAME],
  alias: {
    '@aws-sdk/credential-provider-node': './lambdas/shared/aws/environment-credentials.ts',
  },
} as const;

/** `FUNCTION_BUNDLING.alias` as esbuild's CLI takes it (NodejsFunction's `esbuildArgs`). */
export function functionAliasArgs(): Record<string, string[]> {
  return { '--alias': Object.entries(FUNCTION_BUNDLING.alias).map(([from, to]) => `${from}=${to}`) };
}

export const LAYER_ENTRY = path.join(PROJECT_ROOT, 'layers', 'otel', 'src', 'index.ts');

/** Where the layer's tree is built: `nodejs/node_modules/<module>/index.js`, as Lambda layers expect. */
export const LAYER_BUILD_DIR = path.join(PROJECT_ROOT, '.build', 'otel-layer');

export function layerBuildOptions(outdir = LAYER_BUILD_DIR): BuildOptions {
  return {
    entryPoints: [LAYER_ENTRY],
    outfile: path.join(outdir, 'nodejs', 'node_modules', ...LAYER_MODULE_NAME.split('/'), 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    mainFields: ['module', 'main'],
    // The runtime provides the AWS SDK; bundling it would shadow the runtime's copy and bloat the layer.
    external: ['@aws-sdk/*'],
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** The Node.js major version of the functions' runtime (nodejs22.x). */
export const LAMBDA_NODE_MAJOR = 22;

/** File names of the code-cache layout: `index.js` is then a loader for the bundle and its V8 code cache. */
export const LAYER_CODE_CACHE = { bundle: 'otel.js', cache: 'otel.js.cache' } as const;

export interface BuildLayerOptions {
  /**
   * Ship a V8 code cache with the bundle, so a cold start skips most compilation (module load 8 → 4 ms
   * in docs/benchmarks.md). Opt-in, for two reasons: V8 accepts a cache only from the same V8 version
   * and flags (build it on the functions' Node.js, LAMBDA_NODE_MAJOR, ideally in the Lambda image; a
   * rejected cache costs its read and nothing else), and the cache's bytes differ from build to build,
   * so the asset must be hashed by `layerBundleHash()` rather than by its contents, or every synth
   * publishes a new layer version.
   * @default false
   */
  readonly codeCache?: boolean;
}

/** Bundles the telemetry layer synchronously (CDK synth is synchronous). Returns the layer's root dir. */
export function buildLayer(outdir = LAYER_BUILD_DIR, options: BuildLayerOptions = {}): string {
  const buildOptions = layerBuildOptions(outdir);
  const result = buildSync({ ...buildOptions, metafile: true });
  if (result.errors.length > 0) {
    throw new StackError(StackErrorCode.LAYER_BUILD_FAILED, `layer bundle failed: ${result.errors[0]?.text}`);
  }
  const moduleDir = path.dirname(buildOptions.outfile as string);
  if (!options.codeCache || !addCodeCache(moduleDir)) {
    for (const file of Object.values(LAYER_CODE_CACHE)) rmSync(path.join(moduleDir, file), { force: true });
  }
  return outdir;
}

/**
 * A stable hash of a built layer: its JavaScript only (the bundle and the loader), not the code cache,
 * whose bytes change from build to build. For `Code.fromAsset(dir, { assetHash, assetHashType: CUSTOM })`.
 */
export function layerBundleHash(outdir = LAYER_BUILD_DIR): string {
  const moduleDir = path.dirname(layerBuildOptions(outdir).outfile as string);
  const hash = createHash('sha256');
  for (const file of ['index.js', LAYER_CODE_CACHE.bundle]) {
    const full = path.join(moduleDir, file);
    if (existsSync(full)) hash.update(file).update(readFileSync(full));
  }
  return hash.digest('hex');
}

/** The bundle's CommonJS wrapper: the loader and the cache generator must compile the very same source. */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'] as const;

function compileSnippet(): string {
  return (
    `const file = join(__dirname, ${JSON.stringify(LAYER_CODE_CACHE.bundle)});\n` +
    `const source = ${JSON.stringify(WRAPPER[0])} + readFileSync(file, 'utf8') + ${JSON.stringify(WRAPPER[1])};\n`
  );
}

/** `index.js` of the code-cache layout. */
function loaderSource(): string {
  return `'use strict';
// Loads the layer bundle with the V8 code cache built next to it (lib/bundling.ts). If V8 rejects the
// cache (another Node.js version), the bundle is compiled as usual.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
${compileSnippet()}let cachedData;
try {
  cachedData = readFileSync(join(__dirname, ${JSON.stringify(LAYER_CODE_CACHE.cache)}));
} catch {}
const script = new Script(source, { filename: file, cachedData });
script.runInThisContext().call(module.exports, module.exports, require, module, file, __dirname);
`;
}

/**
 * Compiles the bundle, runs one representative invocation in a child process (telemetry off: nothing
 * leaves it) so the functions a first invocation needs are compiled too, and writes V8's code cache.
 */
function generatorSource(moduleDir: string): string {
  return `'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const { createRequire } = require('node:module');
const __dirname = ${JSON.stringify(moduleDir)};
${compileSnippet()}const script = new Script(source, { filename: file });
const layer = { exports: {} };
script.runInThisContext().call(layer.exports, layer.exports, createRequire(file), layer, file, __dirname);
const otel = layer.exports;
const handler = otel.instrument(async () => {
  otel.logger.info('code cache', { step: 1 });
  otel.metrics.add('CodeCache', otel.MetricUnit.COUNT, 1);
  await otel.withSpan('code_cache', { 'finance.symbol': 'AAPL' }, () => 1);
  return { ok: true };
});
handler({}, { functionName: 'code-cache', awsRequestId: 'code-cache' }).then(() => {
  writeFileSync(join(__dirname, ${JSON.stringify(LAYER_CODE_CACHE.cache)}), script.createCachedData());
  process.exit(0);
}, (error) => {
  console.error(error);
  process.exit(1);
});
`;
}

/** Turns `index.js` into the code-cache layout. Returns false (plain layout kept) if anything fails. */
export function addCodeCache(moduleDir: string): boolean {
  const index = path.join(moduleDir, 'index.js');
  const bundle = path.join(moduleDir, LAYER_CODE_CACHE.bundle);
  renameSync(index, bundle);
  const generated = spawnSync(process.execPath, ['-e', generatorSource(moduleDir)], {
    // A clean environment: the layer must not pick up this machine's telemetry settings.
    env: { PATH: process.env.PATH ?? '' },
    stdio: 'ignore',
    timeout: 30_000,
  });
  if (generated.status !== 0) {
    renameSync(bundle, index);
    return false;
  }
  writeFileSync(index, loaderSource());
  return true;
}

export function functionBuildOptions(entry: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: 'cjs',
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.externalModules],
    alias: Object.fromEntries(
      Object.entries(FUNCTION_BUNDLING.alias).map(([from, to]) => [from, path.join(PROJECT_ROOT, to)]),
    ),
    write: false,
    logLevel: 'silent',
  };
}
