/**
 * The deployed artefacts exactly as `cdk synth` builds them: synthesizes the app (the CDK CLI, the
 * repository's cdk.json) into a directory and reads from the template each function's asset directory,
 * handler, memory and environment, the layer's asset and the tables. `--ref=<commit>` synthesizes a
 * commit instead (a detached git worktree sharing this checkout's node_modules) for before/after runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/bundling';

export interface FunctionAsset {
  /** The deployed name (FunctionName in the template), e.g. `dual-accuracy-tracker`. */
  readonly name: string;
  /** The unzipped asset: what Lambda puts in LAMBDA_TASK_ROOT. */
  readonly dir: string;
  /** `index.handler` */
  readonly handler: string;
  readonly memorySize: number;
  /** The template's environment, table references resolved to the table's logical id (the bench's table name). */
  readonly environment: Readonly<Record<string, string>>;
}

export interface StackAssets {
  /** The cloud assembly directory. */
  readonly outdir: string;
  /** The layer's `nodejs/node_modules` (what Lambda mounts at /opt/nodejs/node_modules). */
  readonly layerNodeModules: string;
  readonly functions: readonly FunctionAsset[];
  /** Logical ids of the DynamoDB tables (the bench creates them under these names). */
  readonly tables: readonly string[];
}

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
};

function resolveValue(value: unknown, tables: ReadonlySet<string>, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const ref = (value as { Ref?: unknown } | null)?.Ref;
  if (typeof ref === 'string' && tables.has(ref)) return ref;
  throw new Error(`${where}: cannot resolve ${JSON.stringify(value)} for the bench`);
}

/** Reads a synthesized cloud assembly (no synthesis). */
export function readStackAssets(outdir: string, stackName = 'TradingObservabilityStack'): StackAssets {
  const template = JSON.parse(readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, Resource>;
  };
  const resources = Object.entries(template.Resources);
  const tables = resources
    .filter(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' || r.Type === 'AWS::DynamoDB::Table')
    .map(([id]) => id);
  const tableSet = new Set(tables);
  const assetDir = (id: string, resource: Resource) => {
    const relative = resource.Metadata?.['aws:asset:path'];
    if (typeof relative !== 'string') throw new Error(`${id} has no asset path in the template`);
    return path.resolve(outdir, relative);
  };
  const layers = resources.filter(([, r]) => r.Type === 'AWS::Lambda::LayerVersion');
  if (layers.length !== 1) throw new Error(`expected one layer, found ${layers.length}`);
  const [layerId, layer] = layers[0] as [string, Resource];
  const functions: FunctionAsset[] = [];
  for (const [id, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties ?? {};
    // Only Node.js functions with a bundled asset (CDK's own helper functions are inline or Python).
    if (!String(props.Runtime ?? '').startsWith('nodejs') || !resource.Metadata?.['aws:asset:path']) continue;
    const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
      environment[key] = resolveValue(value, tableSet, `${id}.${key}`);
    }
    functions.push({
      name: resolveValue(props.FunctionName ?? id, tableSet, `${id}.FunctionName`),
      dir: assetDir(id, resource),
      handler: String(props.Handler ?? 'index.handler'),
      memorySize: Number(props.MemorySize ?? 128),
      environment,
    });
  }
  return {
    outdir,
    layerNodeModules: path.join(assetDir(layerId, layer), 'nodejs', 'node_modules'),
    functions,
    tables,
  };
}

/** Runs `cdk synth` of the app in `projectRoot` into `outdir` (the CLI and cdk.json, as a user runs it). */
export function synthStackAssets(outdir: string, projectRoot = PROJECT_ROOT): StackAssets {
  const cdk = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk');
  const result = spawnSync(cdk, ['synth', '--quiet', '--output', outdir], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) {
    throw new Error(`cdk synth failed in ${projectRoot}: ${(result.stderr || result.stdout).slice(-2000)}`);
  }
  return readStackAssets(outdir);
}

/**
 * Synthesizes the app as it was at `ref`: a detached worktree in `dir` (this checkout's node_modules
 * linked in), removed again by the returned `cleanup`.
 */
export function synthAtRef(
  ref: string,
  dir: string,
  outdir: string,
): { assets: StackAssets; cleanup: () => void } {
  execFileSync('git', ['worktree', 'add', '--detach', '--force', dir, ref], {
    cwd: PROJECT_ROOT,
    stdio: 'ignore',
  });
  const cleanup = () => {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    spawnSync('git', ['worktree', 'prune'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
  };
  try {
    symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return { assets: synthStackAssets(outdir, dir), cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
