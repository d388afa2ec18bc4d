import { scrubText } from '../../layers/otel/src/pii';

/**
 * What the local Invoke API answers, as the real Lambda service does (the AWS clients decide on status codes,
 * headers and error bodies): limits, error types, headers, the FunctionName forms and the answers' shapes.
 */

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

export const INVOCATIONS_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** The FunctionName pattern of the Lambda API model: a name, `name:qualifier`, a partial or a full ARN. */
const FUNCTION_IDENTIFIER =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
/** The region a SigV4-signing client signed for: `Credential=<key>/<date>/<region>/lambda/aws4_request`. */
export const SIGNED_REGION = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/lambda\//;

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

/** C0 and C1 controls, DEL, line/paragraph separators, bidirectional marks, embeddings, overrides, isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what it is for.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A name taken from a request, safe to print on one log line: control and bidirectional-format characters
 * (a forged newline, an ANSI escape, a right-to-left override) are written as `\u{…}` escapes, personal
 * data is masked, and the length is capped. The endpoint's request log prints only names made safe so.
 */
export function logSafeName(raw: string, maxLength = 170): string {
  const escaped = raw.replace(UNPRINTABLE, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
  const scrubbed = scrubText(escaped);
  return scrubbed.length > maxLength ? `${scrubbed.slice(0, maxLength)}…` : scrubbed;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function errorAnswer(type: InvokeErrorType, message: string): Answer {
  // Lambda's error body: {"Type":"User","message":...}; the clients read the code from the header.
  return {
    status: STATUS_BY_ERROR[type],
    headers: { [Header.ERROR_TYPE]: type },
    body: JSON.stringify({ Type: 'User', message }),
  };
}

/** A handler that threw, as the Node.js runtime reports it: 200 with `X-Amz-Function-Error: Unhandled`. */
export function crashAnswer(errorType: string, errorMessage: string, trace: readonly string[]): Answer {
  return {
    status: 200,
    headers: { [Header.FUNCTION_ERROR]: 'Unhandled', [Header.EXECUTED_VERSION]: EXECUTED_VERSION },
    body: JSON.stringify({ errorType, errorMessage, trace }),
  };
}

export function describeError(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
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
