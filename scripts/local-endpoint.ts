/**
 * npm run local [-- --port <n>] [--host <address>] [--data-dir <dir>]
 *
 * Serves the AWS Lambda Invoke API on loopback, running the project's handlers in this process against
 * the embedded DynamoDB persisted under `.local/`, so the real AWS CLI and SDKs can invoke them:
 *   aws lambda invoke --endpoint-url http://127.0.0.1:3001 --function-name dual-accuracy-tracker \
 *     --cli-binary-format raw-in-base64-out --payload '{"action":"report"}' out.json
 *
 * Environment: LOCAL_LAMBDA_PORT (default 3001; 0 picks a free port), LOCAL_LAMBDA_HOST (default 127.0.0.1),
 * LOCAL_DATA_DIR (default .local: the store in <dir>/dynamodb, spans and metrics in <dir>). Flags win.
 *
 * It shares its store: `npm run invoke` (and the demo) started while it runs use its embedded DynamoDB over
 * loopback (scripts/local/shared-store.ts). A second `npm run local` on the same directory says who holds it.
 */
import * as path from 'node:path';
import { FUNCTION_NAMES } from '../lambdas/shared/names/functions';
import { type InvokeRequestLog, startInvokeApi } from './local/invoke-api';
import { LocalEnv, localDataDir, prepareLocalEnvironment } from './local/runtime';
import { publishStore } from './local/shared-store';

export const LocalEndpointEnv = {
  PORT: 'LOCAL_LAMBDA_PORT',
  HOST: 'LOCAL_LAMBDA_HOST',
  DATA_DIR: LocalEnv.DATA_DIR,
} as const;

export const LOCAL_ENDPOINT_DEFAULTS = { port: 3001, host: '127.0.0.1' } as const;
/** After a stop signal, how long the endpoint may take to finish requests and close the store. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

export interface LocalEndpointConfig {
  readonly port: number;
  readonly host: string;
  /** Store in `<dataDir>/dynamodb`, spans.jsonl and metrics.jsonl in `<dataDir>`. */
  readonly dataDir: string;
}

function flag(argv: readonly string[], name: string): string | undefined {
  for (const [index, argument] of argv.entries()) {
    if (argument === `--${name}`) return argv[index + 1];
    if (argument.startsWith(`--${name}=`)) return argument.slice(name.length + 3);
  }
  return undefined;
}

/** Reads flags, then environment, then defaults; a bad port is replaced by the default with a warning. */
export function loadConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (message) => process.stderr.write(`warning: ${message}\n`),
): LocalEndpointConfig {
  const rawPort = flag(argv, 'port') ?? env[LocalEndpointEnv.PORT];
  let port: number = LOCAL_ENDPOINT_DEFAULTS.port;
  if (rawPort !== undefined && rawPort !== '') {
    const parsed = Number(rawPort);
    if (Number.isInteger(parsed) && parsed >= 0 && parsed <= 65_535) port = parsed;
    else warn(`port '${rawPort}' is not a port number (0-65535); using ${LOCAL_ENDPOINT_DEFAULTS.port}`);
  }
  const host = flag(argv, 'host') || env[LocalEndpointEnv.HOST] || LOCAL_ENDPOINT_DEFAULTS.host;
  const rawDataDir = flag(argv, 'data-dir');
  const dataDir = rawDataDir ? path.resolve(rawDataDir) : localDataDir(env);
  return { port, host, dataDir };
}

function formatRequest(entry: InvokeRequestLog): string {
  const outcome = entry.errorType ?? (entry.functionError ? `FunctionError: ${entry.functionError}` : '');
  const phase = entry.asyncOutcome ? `${entry.invocationType} done` : entry.invocationType;
  return `${new Date().toISOString()} ${entry.functionName} ${phase} ${entry.status} ${entry.durationMs.toFixed(0)} ms${outcome ? ` ${outcome}` : ''}`;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const storeDir = path.join(config.dataDir, 'dynamodb');
  const store = await prepareLocalEnvironment({ storeDir, telemetryDir: config.dataDir, join: false });
  let api: Awaited<ReturnType<typeof startInvokeApi>>;
  try {
    api = await startInvokeApi({
      port: config.port,
      host: config.host,
      onRequest: (entry) => process.stdout.write(`${formatRequest(entry)}\n`),
    });
  } catch (error) {
    await store.stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `${config.host}:${config.port} is already in use; choose another with --port or ${LocalEndpointEnv.PORT}`,
        { cause: error },
      );
    }
    throw error;
  }

  const unpublish = publishStore(storeDir, { dynamodb: store.endpoint, invoke: api.url });
  const relativeDataDir = path.relative(process.cwd(), config.dataDir) || '.';
  process.stdout.write(
    [
      `Lambda Invoke API listening on ${api.url}`,
      `functions: ${FUNCTION_NAMES.join(', ')}`,
      `store: ${path.join(relativeDataDir, 'dynamodb')}  spans: ${path.join(relativeDataDir, 'spans.jsonl')}`,
      'try:',
      `  aws lambda invoke --endpoint-url ${api.url} --function-name dual-accuracy-tracker --cli-binary-format raw-in-base64-out --payload '{"action":"validate_all","lookback_days":7}' out.json`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal (a terminal sends one to every process in the group) does not cut the shutdown short.
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping (finishing requests, closing the store)\n`);
    const forced = setTimeout(() => {
      process.stderr.write('shutdown took too long; exiting\n');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    forced.unref();
    unpublish();
    api
      .close()
      .then(() => store.stop())
      .then(
        () => {
          clearTimeout(forced);
          process.stdout.write('stopped\n');
          // Handlers may hold timers or keep-alive sockets of their own; the endpoint's work is done.
          process.exit(0);
        },
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`npm run local: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
