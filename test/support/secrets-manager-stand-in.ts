import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the Secrets Manager API (JSON 1.1 protocol: `POST /` with
 * `X-Amz-Target: secretsmanager.<Operation>`), for tests and benchmarks. Point the AWS SDK at it with
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`. It answers GetSecretValue, DescribeSecret and ListSecretVersionIds
 * for the secrets it holds and records every request (headers and body) so a test can check signatures.
 */
export interface StandInSecret {
  readonly value: string;
  /** @default 30 days before the stand-in started */
  readonly createdDate?: Date;
}

export interface SecretsManagerRequest {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface StandInFailure {
  readonly status: number;
  /** The error's `__type`, e.g. `InternalServiceError`. */
  readonly type: string;
}

export interface SecretsManagerStandIn {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: SecretsManagerRequest[];
  readonly secrets: Map<string, StandInSecret>;
  /** While set, every request is answered with this error (an outage). */
  failure: StandInFailure | undefined;
  /** Delay before answering (a slow service). */
  delayMs: number;
  close(): Promise<void>;
}

const VERSION_ID = '00000000-0000-4000-8000-000000000001';

function arnOf(name: string): string {
  return `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
}

/** Secrets Manager's JSON carries dates as epoch seconds. */
const epochSeconds = (date: Date) => date.getTime() / 1000;

export async function startSecretsManagerStandIn(
  secrets: Record<string, StandInSecret> = {},
): Promise<SecretsManagerStandIn> {
  const held = new Map(Object.entries(secrets));
  const requests: SecretsManagerRequest[] = [];
  const state: { failure: StandInFailure | undefined; delayMs: number } = { failure: undefined, delayMs: 0 };
  const defaultCreated = new Date(Date.now() - 30 * 86_400_000);
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('secretsmanager.')
        ? target.slice('secretsmanager.'.length)
        : target;
      requests.push({
        operation,
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
      });
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      const answer = (status: number, payload: unknown) => {
        const failure = state.failure;
        const reply = () =>
          failure
            ? send(failure.status, { __type: failure.type, message: 'stand-in outage' })
            : send(status, payload);
        if (state.delayMs > 0) setTimeout(reply, state.delayMs).unref();
        else reply();
      };
      let input: { SecretId?: unknown };
      try {
        input = JSON.parse(body || '{}') as { SecretId?: unknown };
      } catch {
        answer(400, { __type: 'SerializationException', message: 'body is not JSON' });
        return;
      }
      const name = typeof input.SecretId === 'string' ? input.SecretId.replace(/^arn:.*:secret:/, '') : '';
      const secret = held.get(name);
      if (!secret) {
        answer(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
        return;
      }
      const created = epochSeconds(secret.createdDate ?? defaultCreated);
      const identity = { ARN: arnOf(name), Name: name };
      switch (operation) {
        case 'GetSecretValue':
          answer(200, {
            ...identity,
            SecretString: secret.value,
            VersionId: VERSION_ID,
            VersionStages: ['AWSCURRENT'],
            CreatedDate: created,
          });
          return;
        case 'DescribeSecret':
          answer(200, {
            ...identity,
            CreatedDate: created,
            VersionIdsToStages: { [VERSION_ID]: ['AWSCURRENT'] },
          });
          return;
        case 'ListSecretVersionIds':
          answer(200, {
            ...identity,
            Versions: [{ VersionId: VERSION_ID, VersionStages: ['AWSCURRENT'], CreatedDate: created }],
          });
          return;
        default:
          answer(400, { __type: 'UnknownOperationException', message: `unknown operation ${target}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    secrets: held,
    get failure() {
      return state.failure;
    },
    set failure(value: StandInFailure | undefined) {
      state.failure = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
