/**
 * A loopback stand-in of AWS Secrets Manager (JSON 1.1 protocol: `POST /` with
 * `X-Amz-Target: secretsmanager.<Operation>`), for tests and benchmarks: the real AWS SDK clients — the layer's
 * key reader, the key-age probe, the rotation function — talk to it through `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
 * and every HTTP request is recorded (headers and body) so a test can check signatures. The service's
 * behaviour (versions, staging labels, rotation, faults) is the in-process model of secrets-model.ts.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSecretsModel, type SecretsModel, ServiceError } from './secrets-model';

/** A secret the stand-in starts with. */
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

export interface SecretsManagerStandIn extends SecretsModel {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly requests: SecretsManagerRequest[];
  /** While set, every request is answered with this error (an outage). */
  failure: StandInFailure | undefined;
  /** Delay before answering (a slow service). */
  delayMs: number;
  close(): Promise<void>;
}
/** The model behind Secrets Manager's JSON 1.1 protocol on 127.0.0.1, for the real AWS SDK. */
export async function startSecretsManagerStandIn(
  secrets: Record<string, StandInSecret> = {},
  region = 'us-east-1',
): Promise<SecretsManagerStandIn> {
  const model = createSecretsModel(region);
  const defaultCreated = new Date(Date.now() - 30 * 86_400_000);
  for (const [name, secret] of Object.entries(secrets)) {
    model.createSecret(name, secret.value, secret.createdDate ?? defaultCreated);
  }
  const requests: SecretsManagerRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      requests.push({
        operation,
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const send = (status: number, body: unknown, type?: string) => {
        const text = JSON.stringify(body);
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(text),
          ...(type ? { 'x-amzn-errortype': type } : {}),
        });
        response.end(text);
      };
      const answer = (status: number, body: unknown, type?: string) => {
        const failure = standIn.failure;
        const reply = () =>
          failure
            ? send(failure.status, { __type: failure.type, message: 'stand-in outage' }, failure.type)
            : send(status, body, type);
        if (standIn.delayMs > 0) setTimeout(reply, standIn.delayMs).unref();
        else reply();
      };
      try {
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        } catch {
          throw new ServiceError('SerializationException', 'body is not JSON');
        }
        if (standIn.failure) {
          answer(200, {});
          return;
        }
        answer(200, model.call(operation, input));
      } catch (error) {
        const type = error instanceof ServiceError ? error.type : 'InternalServiceError';
        answer(
          type === 'InternalServiceError' ? 500 : 400,
          { __type: type, message: (error as Error).message },
          type,
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const standIn: SecretsManagerStandIn = Object.assign(model, {
    url,
    requests,
    failure: undefined as StandInFailure | undefined,
    delayMs: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return standIn;
}
