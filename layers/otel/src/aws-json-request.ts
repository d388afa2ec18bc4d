/**
 * One call to an AWS JSON-protocol API (DynamoDB GetItem, Secrets Manager GetSecretValue) without the AWS
 * SDK: a Signature Version 4 signed POST over the layer's own HTTP client (transport.ts, already loaded for
 * the export). Why: the layer makes two tiny reads per cold start, and loading the runtime's SDK clients
 * for them cost a function tens of milliseconds (docs/benchmarks.md). Credentials come from the
 * environment, as Lambda provides them; without them the caller falls back to the SDK.
 */
import { createHash, createHmac } from 'node:crypto';
import { TelemetryError, TelemetryErrorCode } from './errors';
import { postRequest } from './transport';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The credentials Lambda puts in every function's environment; undefined when not all are there. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return env.AWS_SESSION_TOKEN
    ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN }
    : { accessKeyId, secretAccessKey };
}

/** The AWS JSON services the layer calls: signing name, endpoint prefix, protocol version, target prefix. */
export const AwsJsonService = {
  DYNAMODB: {
    signingName: 'dynamodb',
    endpointPrefix: 'dynamodb',
    envSuffix: 'DYNAMODB',
    contentType: 'application/x-amz-json-1.0',
    targetPrefix: 'DynamoDB_20120810',
  },
  SECRETS_MANAGER: {
    signingName: 'secretsmanager',
    endpointPrefix: 'secretsmanager',
    envSuffix: 'SECRETS_MANAGER',
    contentType: 'application/x-amz-json-1.1',
    targetPrefix: 'secretsmanager',
  },
} as const;
export type AwsJsonService = (typeof AwsJsonService)[keyof typeof AwsJsonService];

/**
 * The service's endpoint as the SDK resolves it for a standard regional call: `AWS_ENDPOINT_URL_<SERVICE>`,
 * then `AWS_ENDPOINT_URL`, then `https://<prefix>.<region>.amazonaws.com` (`.com.cn` in China).
 */
export function serviceEndpoint(
  service: AwsJsonService,
  region: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const configured = env[`AWS_ENDPOINT_URL_${service.envSuffix}`] || env.AWS_ENDPOINT_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service.endpointPrefix}.${region}.${suffix}`;
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export interface SignInput {
  readonly method: string;
  readonly url: URL;
  /** Header names in lower case; `host` is added. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}

/**
 * Signature Version 4 (AWS General Reference, "Create a signed AWS API request"): returns the headers to
 * send, `authorization`, `x-amz-date` and `x-amz-security-token` included. Every given header is signed.
 */
export function signV4(input: SignInput): Record<string, string> {
  if (input.url.search) throw new Error('signV4 signs requests without a query string');
  const amzDate = input.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...input.headers,
    host: input.url.host,
    'x-amz-date': amzDate,
    ...(input.credentials.sessionToken ? { 'x-amz-security-token': input.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lower = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const canonicalHeaders = names
    .map((name) => `${name}:${String(lower[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    input.method,
    input.url.pathname || '/',
    // The JSON protocols send everything in the body: no query string.
    '',
    canonicalHeaders,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${input.credentials.secretAccessKey}`, day), input.region), input.service),
    'aws4_request',
  );
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** An error answer of an AWS API: the `__type` (without its namespace) and message, with the HTTP status. */
export class AwsRequestError extends TelemetryError {
  override readonly name = 'AwsRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly type: string,
  ) {
    super(TelemetryErrorCode.AWS_REQUEST_FAILED, message);
  }
}

export interface AwsJsonCall {
  readonly service: AwsJsonService;
  /** The operation, e.g. `GetItem`. */
  readonly operation: string;
  readonly input: unknown;
  readonly credentials: AwsCredentials;
  readonly region: string;
  readonly signal: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: Date;
}

/** Calls the operation once (no retries: callers bound and retry on their own terms); returns the parsed JSON. */
export async function awsJsonRequest<T>(call: AwsJsonCall): Promise<T> {
  const url = new URL(`${serviceEndpoint(call.service, call.region, call.env)}/`);
  const body = JSON.stringify(call.input);
  const headers = signV4({
    method: 'POST',
    url,
    headers: {
      'content-type': call.service.contentType,
      'x-amz-target': `${call.service.targetPrefix}.${call.operation}`,
    },
    body,
    region: call.region,
    service: call.service.signingName,
    credentials: call.credentials,
    now: call.now ?? new Date(),
  });
  // The transport writes Host and Content-Type itself.
  const { host: _host, 'content-type': contentType, ...rest } = headers;
  const response = await postRequest(url.toString(), body, rest, call.signal, {
    contentType: String(contentType),
    keepBody: true,
  });
  const text = response.body ?? '';
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new AwsRequestError(
      `${call.operation}: HTTP ${response.status}, not a JSON answer`,
      response.status,
      'Unknown',
    );
  }
  if (response.status >= 200 && response.status < 300) return parsed as T;
  const error = parsed as { __type?: unknown; message?: unknown; Message?: unknown };
  const type = String(error.__type ?? 'Unknown').replace(/^.*#/, '');
  const message = String(error.message ?? error.Message ?? '');
  throw new AwsRequestError(
    `${call.operation}: ${type} (HTTP ${response.status})${message ? `: ${message}` : ''}`,
    response.status,
    type,
  );
}
