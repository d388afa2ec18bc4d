/**
 * Builds what the cold-start and warm cases run: the layer exactly as shipped (layerBuildOptions) and one
 * self-running bundle per variant (the handler plus a tiny runner that serves one invocation).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { LAYER_MODULE_NAME } from '../../layers/otel/src/constants';
import {
  buildLayer,
  functionBuildOptions,
  LAYER_CODE_CACHE,
  layerBuildOptions,
  PROJECT_ROOT,
} from '../../lib/bundling';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** `performance.now()` before any bundled code runs: splits Node's own start from module init. */
const START_MARK = 'var __benchStart = performance.now();';

/** The child's one invocation; the result line goes to fd 3 so that handler logs on stdout do not mix in. */
function runnerSource(fixture: string): string {
  return `
import { writeSync } from 'node:fs';
import { handler } from ${JSON.stringify(`./${fixture}`)};
const loaded = performance.now();
const context = {
  functionName: 'bench-fn',
  functionVersion: '$LATEST',
  awsRequestId: 'bench-request-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench-fn',
  memoryLimitInMB: '1024',
  logGroupName: '/aws/lambda/bench-fn',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30000,
};
handler({}, context).then(
  (result) => {
    const done = performance.now();
    writeSync(3, JSON.stringify({ start: __benchStart, loaded, done, ok: result?.ok === true }) + '\\n');
    process.exit(0);
  },
  (error) => {
    writeSync(3, JSON.stringify({ error: String(error) }) + '\\n');
    process.exit(1);
  },
);
`;
}

export interface BuiltVariant {
  readonly file: string;
  readonly bytes: number;
  /** How it was built, for the report. */
  readonly note: string;
}

async function bundleRunner(
  fixture: string,
  outfile: string,
  options: Partial<BuildOptions>,
  note: string,
): Promise<BuiltVariant> {
  const result = await build({
    stdin: {
      contents: runnerSource(fixture),
      resolveDir: FIXTURES,
      sourcefile: `run-${fixture}.ts`,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    banner: { js: START_MARK },
    logLevel: 'silent',
    metafile: true,
    ...options,
  });
  const output = result.metafile?.outputs[path.relative(process.cwd(), outfile)];
  return { file: outfile, bytes: output?.bytes ?? 0, note };
}

export interface ColdBuild {
  readonly layerNodePath: string;
  readonly layerBytes: number;
  /** The same layer with a V8 code cache (lib/bundling.ts), built by this machine's Node.js. */
  readonly cachedLayerNodePath: string;
  readonly cacheBytes: number;
  readonly variants: Record<'bare' | 'layer' | 'layer+cache' | 'naive' | 'auto', BuiltVariant>;
}

/** Builds the layer into `dir/layer` and the four cold-start variants into `dir`. */
export async function buildColdVariants(dir: string): Promise<ColdBuild> {
  mkdirSync(dir, { recursive: true });
  const layerDir = path.join(dir, 'layer');
  const layerResult = await build({ ...layerBuildOptions(layerDir), metafile: true });
  const layerBytes = Object.values(layerResult.metafile?.outputs ?? {})[0]?.bytes ?? 0;
  const cachedLayerDir = path.join(dir, 'layer-code-cache');
  buildLayer(cachedLayerDir, { codeCache: true });
  const cachedModuleDir = path.join(
    cachedLayerDir,
    'nodejs',
    'node_modules',
    ...LAYER_MODULE_NAME.split('/'),
  );
  const cacheFile = path.join(cachedModuleDir, LAYER_CODE_CACHE.cache);
  const cacheBytes = existsSync(cacheFile) ? statSync(cacheFile).size : 0;
  // Functions are bundled with the product's own options (minified, ESM entry points, layer external).
  const fnOptions = functionBuildOptions('unused');
  const asFunction: Partial<BuildOptions> = {
    minify: fnOptions.minify ?? true,
    mainFields: fnOptions.mainFields ?? ['module', 'main'],
    external: [LAYER_MODULE_NAME, ...(fnOptions.external ?? [])],
    target: fnOptions.target ?? 'node22',
  };
  const bare = await bundleRunner('bare', path.join(dir, 'bare.js'), asFunction, 'function bundle options');
  const layer = await bundleRunner(
    'layer',
    path.join(dir, 'layer.js'),
    asFunction,
    'function bundle options; layer module external, from NODE_PATH',
  );
  // A user's esbuild with default options for platform=node (CJS entry points), minified.
  const naiveOptions: Partial<BuildOptions> = { minify: true, target: 'node22' };
  const naive = await bundleRunner(
    'naive',
    path.join(dir, 'naive.js'),
    naiveOptions,
    'esbuild defaults (main fields main,module), minified',
  );
  let auto: BuiltVariant;
  try {
    auto = await bundleRunner(
      'auto',
      path.join(dir, 'auto.js'),
      naiveOptions,
      'bundled: esbuild defaults, minified',
    );
  } catch {
    // Some instrumentations may not bundle; then they load from node_modules as most users run them.
    auto = await bundleRunner(
      'auto',
      path.join(dir, 'auto.js'),
      { ...naiveOptions, packages: 'external', nodePaths: [path.join(PROJECT_ROOT, 'node_modules')] },
      'dependencies from node_modules (did not bundle)',
    );
  }
  const layerCached: BuiltVariant = {
    ...layer,
    note: `as layer, with a V8 code cache built by Node ${process.version} (${cacheBytes} bytes)`,
  };
  return {
    layerNodePath: path.join(layerDir, 'nodejs', 'node_modules'),
    layerBytes,
    cachedLayerNodePath: path.join(cachedLayerDir, 'nodejs', 'node_modules'),
    cacheBytes,
    variants: { bare, layer, 'layer+cache': layerCached, naive, auto },
  };
}
