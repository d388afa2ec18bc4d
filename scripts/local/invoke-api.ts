/**
 * The AWS Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`) on loopback, so that the real
 * AWS CLI (`aws lambda invoke --endpoint-url ...`) and `@aws-sdk/client-lambda` run the project's handlers in
 * this process. Status codes, headers and error bodies follow the real service, because the clients decide
 * on them: both read the error code from `x-amzn-ErrorType` and the message from the body's `message`.
 *
 * The caller prepares the environment (scripts/local/runtime.ts `prepareLocalEnvironment`) before the first
 * request: handlers are imported on their first invocation and read their configuration then.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptError, ScriptErrorCode } from '../errors';
import {
  type Answer,
  crashAnswer,
  describeError,
  EXECUTED_VERSION,
  errorAnswer,
  functionArn,
  Header,
  INVOCATIONS_PATH,
  InvocationType,
  InvokeErrorType,
  InvokeLimits,
  logSafeName,
  parseFunctionIdentifier,
  SIGNED_REGION,
} from './invoke-protocol';
import { installLogCapture, logCapture, logTail } from './log-capture';
import { type InvokeOutcome, invokeLocal, isFunctionName, UnknownFunctionError } from './runtime';

export interface InvokeRequestLog {
  readonly requestId: string;
  /**
   * The function name after stripping ARN and qualifier; the raw path segment when it could not be parsed.
   * Safe to print (`logSafeName`): control characters escaped, personal data masked, length capped.
   */
  readonly functionName: string;
  readonly invocationType: InvocationType | string;
  /** The HTTP status answered (for `Event`, 202; the outcome of the run is `asyncOutcome`). */
  readonly status: number;
  readonly errorType?: string;
  /** `Unhandled` when the handler threw. */
  readonly functionError?: string;
  readonly durationMs: number;
  /** Set on the second log entry of an `Event` invocation, when its run has finished. */
  readonly asyncOutcome?: 'ok' | 'Unhandled';
}

export type LocalInvoker = (name: string, payload: unknown) => Promise<InvokeOutcome>;

export interface InvokeApiOptions {
  /** @default 0 (a free port; read it from the returned `url`/`port`) */
  readonly port?: number;
  /** @default '127.0.0.1' (loopback: the endpoint has no authentication) */
  readonly host?: string;
  /** Region in ARNs when the request does not say (ARN or SigV4 credential scope). @default AWS_REGION or us-east-1 */
  readonly region?: string;
  /** Runs one invocation. @default invokeLocal (the project's handlers, in this process) */
  readonly invoke?: LocalInvoker;
  /** Tells a function that exists from one that does not. @default isFunctionName */
  readonly isKnownFunction?: (name: string) => boolean;
  /** Called once per request when it has been answered (and once more when an `Event` run finishes). */
  readonly onRequest?: (entry: InvokeRequestLog) => void;
}

export interface InvokeApi {
  /** http://<host>:<port> — the value for `--endpoint-url` / the SDK's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, waits for requests and `Event` runs in flight (bounded), closes the server. */
  close(): Promise<void>;
}

class RequestTooLargeError extends ScriptError {
  override readonly name = 'RequestTooLargeError';
  constructor(readonly bytes: number) {
    super(
      ScriptErrorCode.REQUEST_TOO_LARGE,
      `Request must be smaller than ${InvokeLimits.MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
  }
}

/**
 * Reads the body up to the limit. Past the limit the rest is read and dropped, not buffered, so that the
 * client receives the 413 answer instead of a reset connection while it is still sending.
 */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= InvokeLimits.MAX_PAYLOAD_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      bytes > InvokeLimits.MAX_PAYLOAD_BYTES
        ? reject(new RequestTooLargeError(bytes))
        : resolve(Buffer.concat(chunks, bytes)),
    );
    request.on('error', reject);
  });
}

/** Runs one invocation and turns its outcome into Lambda's answer (result, crash, or oversized result). */
async function runInvocation(invoke: LocalInvoker, name: string, payload: unknown): Promise<Answer> {
  let outcome: InvokeOutcome;
  try {
    outcome = await invoke(name, payload);
  } catch (error) {
    if (error instanceof UnknownFunctionError) throw error;
    // The handler module failed to load: Lambda reports an init failure as a function error too.
    const { errorMessage, trace } = describeError(error);
    return crashAnswer('Runtime.ImportModuleError', errorMessage, trace);
  }
  if (outcome.kind === 'crash') return crashAnswer(outcome.errorType, outcome.errorMessage, outcome.trace);
  // A handler that returns nothing answers `null`, as Lambda does.
  const body = JSON.stringify(outcome.result) ?? 'null';
  if (Buffer.byteLength(body) > InvokeLimits.MAX_PAYLOAD_BYTES) {
    return crashAnswer(
      'Function.ResponseSizeTooLarge',
      `Response payload size exceeded maximum allowed payload size (${InvokeLimits.MAX_PAYLOAD_BYTES} bytes).`,
      [],
    );
  }
  return { status: 200, headers: { [Header.EXECUTED_VERSION]: EXECUTED_VERSION }, body };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Starts the Invoke API server. Each request runs concurrently with the others (as Lambda scales out). */
export async function startInvokeApi(options: InvokeApiOptions = {}): Promise<InvokeApi> {
  const host = options.host ?? '127.0.0.1';
  const defaultRegion = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const invoke = options.invoke ?? invokeLocal;
  const isKnownFunction = options.isKnownFunction ?? isFunctionName;
  const asyncRuns = new Set<Promise<void>>();
  const releaseCapture = installLogCapture();

  const report = (entry: InvokeRequestLog) => {
    try {
      options.onRequest?.(entry);
    } catch {
      // A failing request logger must not fail the request.
    }
  };

  async function answer(request: IncomingMessage, requestId: string, started: number): Promise<Answer> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = INVOCATIONS_PATH.exec(url.pathname);
    const invocationType = headerValue(request, 'x-amz-invocation-type') ?? InvocationType.REQUEST_RESPONSE;
    const log = (entry: Pick<InvokeRequestLog, 'functionName'> & Partial<InvokeRequestLog>, a: Answer) =>
      report({
        requestId,
        status: a.status,
        durationMs: performance.now() - started,
        ...(a.headers[Header.ERROR_TYPE] ? { errorType: a.headers[Header.ERROR_TYPE] } : {}),
        ...(a.headers[Header.FUNCTION_ERROR] ? { functionError: a.headers[Header.FUNCTION_ERROR] } : {}),
        ...entry,
        // Both come from the request as sent: printed, they must not forge a log line.
        functionName: logSafeName(entry.functionName),
        invocationType: logSafeName(entry.invocationType ?? invocationType, 40),
      });

    if (request.method !== 'POST' || !route?.[1]) {
      // Drain what the client sent, so the connection stays usable.
      await readBody(request).catch(() => undefined);
      const a = errorAnswer(
        InvokeErrorType.UNKNOWN_OPERATION,
        `${request.method} ${url.pathname}: this local endpoint serves only POST /2015-03-31/functions/<name>/invocations`,
      );
      log({ functionName: '-' }, a);
      return a;
    }

    let rawName: string;
    try {
      rawName = decodeURIComponent(route[1]);
    } catch {
      rawName = route[1];
    }
    const identifier = parseFunctionIdentifier(rawName);
    const region = identifier?.region ?? SIGNED_REGION.exec(headerValue(request, 'authorization') ?? '')?.[1];
    const arnRegion = region ?? defaultRegion;
    const functionName = identifier?.name ?? rawName;

    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (!(error instanceof RequestTooLargeError)) throw error;
      const a = errorAnswer(InvokeErrorType.REQUEST_TOO_LARGE, error.message);
      log({ functionName }, a);
      return a;
    }

    const reject = (type: InvokeErrorType, message: string) => {
      const a = errorAnswer(type, message);
      log({ functionName }, a);
      return a;
    };
    if (!identifier) {
      return reject(
        InvokeErrorType.VALIDATION,
        `1 validation error detected: Value '${rawName}' at 'functionName' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
      );
    }
    if (!(Object.values(InvocationType) as string[]).includes(invocationType)) {
      return reject(
        InvokeErrorType.VALIDATION,
        `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: ` +
          'Member must satisfy enum value set: [RequestResponse, Event, DryRun]',
      );
    }
    if (!isKnownFunction(functionName)) {
      return reject(
        InvokeErrorType.RESOURCE_NOT_FOUND,
        `Function not found: ${functionArn(functionName, arnRegion, identifier.accountId)}`,
      );
    }
    // Only the unpublished $LATEST exists locally: a version or alias is not found, as Lambda answers for one
    // that was never published (running $LATEST instead would hide a wrong qualifier).
    if (identifier.qualifier !== undefined && identifier.qualifier !== EXECUTED_VERSION) {
      return reject(
        InvokeErrorType.RESOURCE_NOT_FOUND,
        `Function not found: ${functionArn(functionName, arnRegion, identifier.accountId)}:${identifier.qualifier}`,
      );
    }

    // Lambda passes an empty payload as an empty object.
    const text = body.length === 0 ? '{}' : body.toString('utf8');
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (error) {
      return reject(
        InvokeErrorType.INVALID_REQUEST_CONTENT,
        `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
      );
    }

    if (invocationType === InvocationType.DRY_RUN) {
      const a: Answer = { status: 204, headers: {}, body: '' };
      log({ functionName }, a);
      return a;
    }

    if (invocationType === InvocationType.EVENT) {
      const a: Answer = { status: 202, headers: {}, body: '' };
      log({ functionName }, a);
      const run = runInvocation(invoke, functionName, payload)
        .catch((error: unknown) => {
          const { errorType, errorMessage, trace } = describeError(error);
          return crashAnswer(errorType, errorMessage, trace);
        })
        .then((outcome) =>
          log(
            {
              functionName,
              status: outcome.status,
              asyncOutcome: outcome.headers[Header.FUNCTION_ERROR] ? 'Unhandled' : 'ok',
            },
            outcome,
          ),
        )
        .finally(() => asyncRuns.delete(run));
      asyncRuns.add(run);
      return a;
    }

    const lines: string[] = [];
    const invocationStarted = performance.now();
    let a: Answer;
    try {
      a = await logCapture.run(lines, () => runInvocation(invoke, functionName, payload));
    } catch (error) {
      if (!(error instanceof UnknownFunctionError)) throw error;
      return reject(
        InvokeErrorType.RESOURCE_NOT_FOUND,
        `Function not found: ${functionArn(functionName, arnRegion, identifier.accountId)}`,
      );
    }
    const withTail =
      headerValue(request, 'x-amz-log-type') === 'Tail'
        ? {
            ...a,
            headers: {
              ...a.headers,
              [Header.LOG_RESULT]: logTail(requestId, lines, performance.now() - invocationStarted),
            },
          }
        : a;
    log({ functionName }, withTail);
    return withTail;
  }

  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response: ServerResponse) => {
    const requestId = randomUUID();
    const started = performance.now();
    const handled = answer(request, requestId, started)
      .catch((error: unknown): Answer => {
        // A fault of this endpoint, not of the function: Lambda's ServiceException.
        const message = error instanceof Error ? error.message : String(error);
        return {
          status: 500,
          headers: { [Header.ERROR_TYPE]: 'ServiceException' },
          body: JSON.stringify({ Type: 'Service', message }),
        };
      })
      .then((a) => {
        response.writeHead(a.status, {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(a.body)),
          [Header.REQUEST_ID]: requestId,
          ...a.headers,
        });
        response.end(a.body);
      })
      .finally(() => inFlight.delete(handled));
    inFlight.add(handled);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    releaseCapture();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const pending = Promise.allSettled([...inFlight, ...asyncRuns]);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          pending,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, InvokeLimits.CLOSE_GRACE_MS);
          }),
        ]);
        clearTimeout(timer);
        server.closeAllConnections();
        await closed;
        releaseCapture();
      })();
      return closing;
    },
  };
}
