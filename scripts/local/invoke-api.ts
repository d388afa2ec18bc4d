/**
 * The AWS Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`) on loopback, so that the real
 * AWS CLI (`aws lambda invoke --endpoint-url ...`) and `@aws-sdk/client-lambda` run the project's handlers in
 * this process. Status codes, headers and error bodies follow the real service, because the clients decide
 * on them: both read the error code from `x-amzn-ErrorType` and the message from the body's `message`.
 *
 * The caller prepares the environment (scripts/local/runtime.ts `prepareLocalEnvironment`) before the first
 * request: handlers are imported on their first invocation and read their configuration then.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type InvokeOutcome, invokeLocal, isFunctionName, UnknownFunctionError } from './runtime';

/** Lambda's limits and the values it reports for a local, unpublished function. */
export const InvokeLimits = {
  /** Synchronous request and response payload limit (6 MB). */
  MAX_PAYLOAD_BYTES: 6 * 1024 * 1024,
  /** `X-Amz-Log-Result` holds the last 4 KB of the invocation's log. */
  LOG_TAIL_BYTES: 4 * 1024,
  /** How long `close()` waits for asynchronous (`Event`) invocations still running. */
  CLOSE_GRACE_MS: 10_000,
} as const;

export const LOCAL_ACCOUNT_ID = '000000000000' as const;
export const EXECUTED_VERSION = '$LATEST' as const;

export const InvocationType = {
  REQUEST_RESPONSE: 'RequestResponse',
  EVENT: 'Event',
  DRY_RUN: 'DryRun',
} as const;
export type InvocationType = (typeof InvocationType)[keyof typeof InvocationType];

/** The error codes this endpoint answers with (the names the AWS clients map to exception classes). */
export const InvokeErrorType = {
  RESOURCE_NOT_FOUND: 'ResourceNotFoundException',
  INVALID_REQUEST_CONTENT: 'InvalidRequestContentException',
  REQUEST_TOO_LARGE: 'RequestTooLargeException',
  VALIDATION: 'ValidationException',
  UNKNOWN_OPERATION: 'UnknownOperationException',
} as const;
export type InvokeErrorType = (typeof InvokeErrorType)[keyof typeof InvokeErrorType];

const STATUS_BY_ERROR: Record<InvokeErrorType, number> = {
  ResourceNotFoundException: 404,
  InvalidRequestContentException: 400,
  RequestTooLargeException: 413,
  ValidationException: 400,
  UnknownOperationException: 404,
};

export const Header = {
  REQUEST_ID: 'x-amzn-RequestId',
  ERROR_TYPE: 'x-amzn-ErrorType',
  FUNCTION_ERROR: 'X-Amz-Function-Error',
  EXECUTED_VERSION: 'X-Amz-Executed-Version',
  LOG_RESULT: 'X-Amz-Log-Result',
} as const;

const INVOCATIONS_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** The FunctionName pattern of the Lambda API model: a name, `name:qualifier`, a partial or a full ARN. */
const FUNCTION_IDENTIFIER =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
/** The region a SigV4-signing client signed for: `Credential=<key>/<date>/<region>/lambda/aws4_request`. */
const SIGNED_REGION = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/lambda\//;

export interface FunctionIdentifier {
  readonly name: string;
  readonly qualifier: string | undefined;
  readonly region: string | undefined;
  readonly accountId: string | undefined;
}

/** Splits a FunctionName as Lambda accepts it (`name`, `name:qualifier`, `123456789012:function:name`, ARN). */
export function parseFunctionIdentifier(raw: string): FunctionIdentifier | undefined {
  if (raw.length === 0 || raw.length > 170) return undefined;
  const match = FUNCTION_IDENTIFIER.exec(raw);
  if (!match?.[3]) return undefined;
  return { name: match[3], qualifier: match[4], region: match[1], accountId: match[2] };
}

export function functionArn(name: string, region: string, accountId: string = LOCAL_ACCOUNT_ID): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

export interface InvokeRequestLog {
  readonly requestId: string;
  /** The function name after stripping ARN and qualifier; the raw path segment when it could not be parsed. */
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

class RequestTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(
      `Request must be smaller than ${InvokeLimits.MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
    this.name = 'RequestTooLargeError';
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

/**
 * The invocation's log lines (what the handler writes to stdout/stderr while it runs), kept per invocation
 * through async context so that concurrent invocations do not see each other's lines.
 */
const logCapture = new AsyncLocalStorage<string[]>();
let captureInstalls = 0;
let restoreStreams: (() => void) | undefined;

function installLogCapture(): () => void {
  captureInstalls += 1;
  if (captureInstalls === 1) {
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((stream) => stream.write);
    for (const [index, stream] of streams.entries()) {
      const original = originals[index] as typeof stream.write;
      stream.write = function capturingWrite(this: typeof stream, chunk: unknown, ...rest: unknown[]) {
        const lines = logCapture.getStore();
        if (lines)
          lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
    }
    restoreStreams = () => {
      for (const [index, stream] of streams.entries()) stream.write = originals[index] as typeof stream.write;
    };
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    captureInstalls -= 1;
    if (captureInstalls === 0) {
      restoreStreams?.();
      restoreStreams = undefined;
    }
  };
}

/** START / the handler's lines / END / REPORT, as CloudWatch Logs shows an invocation; the last 4 KB, base64. */
function logTail(requestId: string, lines: readonly string[], durationMs: number): string {
  const text =
    `START RequestId: ${requestId} Version: ${EXECUTED_VERSION}\n` +
    lines.join('') +
    `END RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms\t` +
    `Max Memory Used: ${Math.round(process.memoryUsage().rss / 1_048_576)} MB\t\n`;
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - InvokeLimits.LOG_TAIL_BYTES)).toString('base64');
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function errorAnswer(type: InvokeErrorType, message: string): Answer {
  // Lambda's error body: {"Type":"User","message":...}; the clients read the code from the header.
  return {
    status: STATUS_BY_ERROR[type],
    headers: { [Header.ERROR_TYPE]: type },
    body: JSON.stringify({ Type: 'User', message }),
  };
}

/** A handler that threw, as the Node.js runtime reports it: 200 with `X-Amz-Function-Error: Unhandled`. */
function crashAnswer(errorType: string, errorMessage: string, trace: readonly string[]): Answer {
  return {
    status: 200,
    headers: { [Header.FUNCTION_ERROR]: 'Unhandled', [Header.EXECUTED_VERSION]: EXECUTED_VERSION },
    body: JSON.stringify({ errorType, errorMessage, trace }),
  };
}

function describeError(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: err.name,
    errorMessage: err.message,
    trace: (err.stack ?? '')
      .split('\n')
      .slice(1, 11)
      .map((line) => line.trim()),
  };
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
        invocationType,
        status: a.status,
        durationMs: performance.now() - started,
        ...(a.headers[Header.ERROR_TYPE] ? { errorType: a.headers[Header.ERROR_TYPE] } : {}),
        ...(a.headers[Header.FUNCTION_ERROR] ? { functionError: a.headers[Header.FUNCTION_ERROR] } : {}),
        ...entry,
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
