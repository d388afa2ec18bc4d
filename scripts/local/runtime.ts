import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { FUNCTION_NAMES, type FunctionName } from '../../lambdas/shared/names/functions';
import { TelemetryEnv, TelemetryMode } from '../../layers/otel/src/constants';
import { ScriptError, ScriptErrorCode } from '../errors';
import { type EmbeddedDynamo, StoreInUseError, startEmbeddedDynamo, storeEnv } from './embedded-dynamo';
import { describeError } from './invoke-protocol';
import { joinPublishedStore, readPublishedStore } from './shared-store';

export const PROJECT_ROOT = path.join(__dirname, '..', '..');
/** Everything local runs leave behind: the embedded store, spans, EMF metrics. */
export const LOCAL_DIR = path.join(PROJECT_ROOT, '.local');

export class UnknownFunctionError extends ScriptError {
  override readonly name = 'UnknownFunctionError';
  constructor(readonly functionName: string) {
    super(
      ScriptErrorCode.UNKNOWN_FUNCTION,
      `Function not found: ${functionName} (known: ${FUNCTION_NAMES.join(', ')})`,
    );
  }
}

export function isFunctionName(name: string): name is FunctionName {
  return (FUNCTION_NAMES as readonly string[]).includes(name);
}

/** Environment of the local tools (flags, where a tool has them, win). */
export const LocalEnv = {
  /** The store in `<dir>/dynamodb`, spans.jsonl and metrics.jsonl in `<dir>`. @default .local */
  DATA_DIR: 'LOCAL_DATA_DIR',
} as const;

/** The local data directory: LOCAL_DATA_DIR (resolved), else .local. */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[LocalEnv.DATA_DIR];
  return dir ? path.resolve(dir) : LOCAL_DIR;
}

export interface LocalEnvironmentOptions {
  /** Persist the embedded store here. @default <LOCAL_DATA_DIR or .local>/dynamodb */
  readonly storeDir?: string;
  /** Directory for spans.jsonl and metrics.jsonl. @default LOCAL_DATA_DIR or .local */
  readonly telemetryDir?: string;
  /**
   * When another process holds the store and shares it (`npm run local`), use its endpoint over loopback.
   * Without it (the endpoint itself), a held store is a StoreInUseError. @default true
   */
  readonly join?: boolean;
}

/**
 * Starts the embedded DynamoDB (persisted under .local/) and points the handlers' configuration at it, or
 * uses the one a running `npm run local` shares. A store held by a process that does not share it is a
 * StoreInUseError with a one-line message. Must run before a handler module is imported: the layer reads its
 * configuration at cold init.
 */
export async function prepareLocalEnvironment(
  options: LocalEnvironmentOptions = {},
): Promise<EmbeddedDynamo> {
  const storeDir = options.storeDir ?? path.join(localDataDir(), 'dynamodb');
  const telemetryDir = options.telemetryDir ?? localDataDir();
  let store: EmbeddedDynamo;
  try {
    store = await startEmbeddedDynamo({ path: storeDir });
  } catch (error) {
    if (!(error instanceof StoreInUseError)) throw error;
    if (options.join === false) {
      const published = readPublishedStore(storeDir);
      throw new StoreInUseError(
        storeDir,
        `${error.message}${published ? ` (pid ${published.pid}${published.invoke ? `, serving ${published.invoke}` : ''})` : ''}; ` +
          'stop it first, or use another directory with --data-dir or LOCAL_DATA_DIR',
        { cause: error },
      );
    }
    const published = await joinPublishedStore(storeDir, error);
    store = {
      endpoint: published.dynamodb,
      env: storeEnv(published.dynamodb),
      shared: true,
      stop: async () => {},
    };
  }
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  Object.assign(process.env, store.env);
  // The layer's sampling-config reader uses the SDK's default client: point it at the embedded store too.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = store.endpoint;
  process.env[TelemetryEnv.MODE] ??= TelemetryMode.LOCAL;
  process.env[TelemetryEnv.LOCAL_SPANS_FILE] ??= path.join(telemetryDir, 'spans.jsonl');
  process.env.TELEMETRY_LOCAL_METRICS_FILE ??= path.join(telemetryDir, 'metrics.jsonl');
  process.env[TelemetryEnv.LOG_LEVEL] ??= 'WARN';
  return store;
}

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

const handlers = new Map<FunctionName, Handler>();

/** Imports `lambdas/<name>/handler.ts` once (like a warm Lambda execution environment). */
export async function loadHandler(name: string): Promise<Handler> {
  if (!isFunctionName(name)) throw new UnknownFunctionError(name);
  let handler = handlers.get(name);
  if (!handler) {
    const module = (await import(path.join(PROJECT_ROOT, 'lambdas', name, 'handler.ts'))) as {
      handler: Handler;
    };
    handler = module.handler;
    handlers.set(name, handler);
  }
  return handler;
}

export function lambdaContext(functionName: string, timeoutMs = 900_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export type InvokeOutcome =
  | { readonly kind: 'result'; readonly result: unknown }
  | {
      readonly kind: 'crash';
      readonly errorType: string;
      readonly errorMessage: string;
      readonly trace: string[];
    };

/** Invokes a handler as Lambda would: a thrown error is a crash (FunctionError: Unhandled), not a result. */
export async function invokeLocal(name: string, payload: unknown): Promise<InvokeOutcome> {
  const handler = await loadHandler(name);
  try {
    const result = await handler(payload, lambdaContext(name));
    return { kind: 'result', result };
  } catch (error) {
    return { kind: 'crash', ...describeError(error) };
  }
}
