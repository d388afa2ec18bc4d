/**
 * One child of the functions case: the variants it runs, the environment Lambda would give it (runtime
 * variables, the template's variables pointed at the loopback stand-ins) and the runtime-like driver run
 * in a fresh `node`, with what it loaded grouped by package.
 */
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../lib/bundling';
import { notOk, runReportingChild } from './child-report';
import { cleanEnv } from './env';
import type { FunctionAsset } from './stack-assets';
import { BENCH_CREDENTIALS, type StandIns } from './stand-ins';

export type VariantKind = 'bare' | 'floor' | 'floor-runtime-sdk' | 'layer' | 'function' | 'reference';

export interface Variant {
  readonly name: string;
  readonly kind: VariantKind;
  readonly functionName?: string;
  readonly dir: string;
  readonly handler: string;
  readonly env: NodeJS.ProcessEnv;
  readonly bytes: number;
  readonly note: string;
  readonly largest?: ReadonlyArray<{ readonly input: string; readonly bytes: number }>;
  /** Whether a round must deliver an OTLP export. */
  readonly exports: boolean;
}

export interface DriverRun {
  readonly readyMs: number;
  readonly initMs: number;
  readonly invokeMs: number;
  readonly exported: boolean;
  readonly modules?: Array<{ file: string; bytes: number }>;
}

export interface LoadedGroup {
  readonly group: string;
  readonly files: number;
  readonly bytes: number;
}

export async function runDriver(
  node: string,
  driver: string,
  variant: Variant,
  collectModules: boolean,
): Promise<DriverRun> {
  const env = collectModules ? { ...variant.env, BENCH_MODULES: '1' } : variant.env;
  const { report } = await runReportingChild<{
    start: number;
    loaded: number;
    done: number;
    modules?: Array<{ file: string; bytes: number }>;
  }>(driver, { node, env, label: variant.name, failed: notOk });
  return {
    readyMs: report.done,
    initMs: report.loaded - report.start,
    invokeMs: report.done - report.loaded,
    exported: false,
    ...(report.modules ? { modules: report.modules } : {}),
  };
}

/** Groups loaded files: the function bundle, the layer, each package of the runtime's SDK. */
export function groupLoaded(
  modules: ReadonlyArray<{ file: string; bytes: number }>,
  variant: Variant,
  driver: string,
  layerNodeModules: string,
): LoadedGroup[] {
  const groups = new Map<string, { files: number; bytes: number }>();
  for (const { file, bytes } of modules) {
    if (file === driver) continue;
    let group: string;
    if (file.startsWith(variant.dir + path.sep)) group = 'function bundle';
    else if (file.startsWith(layerNodeModules + path.sep)) group = 'layer';
    else {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      group = match ? `runtime: ${match[1]}` : path.relative(PROJECT_ROOT, file);
    }
    const entry = groups.get(group) ?? { files: 0, bytes: 0 };
    entry.files += 1;
    entry.bytes += bytes;
    groups.set(group, entry);
  }
  return [...groups].map(([group, entry]) => ({ group, ...entry })).sort((a, b) => b.bytes - a.bytes);
}

/** Rewrites an https URL (the SigNoz endpoint in the template) to the loopback receiver, keeping its path. */
export function toReceiver(value: string, receiverUrl: string): string {
  if (!value.startsWith('https://')) return value;
  const url = new URL(value);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${receiverUrl}${path}`;
}

/** The telemetry environment every function shares (the variables equal across all of them). */
export function sharedEnvironment(functions: readonly FunctionAsset[]): Record<string, string> {
  const [first, ...rest] = functions;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.environment).filter(([key, value]) =>
      rest.every((f) => f.environment[key] === value),
    ),
  );
}

export function lambdaEnv(
  standIns: StandIns,
  nodePath: string,
  name: string,
  dir: string,
  handler: string,
  memory: number,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(extra))
    environment[key] = toReceiver(value, standIns.receiver.url);
  return cleanEnv({
    // What the Lambda runtime sets (the Node.js runtime's documented variables).
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'bench',
    LAMBDA_TASK_ROOT: dir,
    _HANDLER: handler,
    TZ: ':UTC',
    NODE_PATH: nodePath,
    ...BENCH_CREDENTIALS,
    ...standIns.endpoints,
    ...environment,
  });
}
