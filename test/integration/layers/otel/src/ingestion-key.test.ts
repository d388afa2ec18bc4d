/**
 * The ingestion key read without the AWS SDK: one signed GetSecretValue against a loopback Secrets
 * Manager stand-in (reached through AWS_ENDPOINT_URL_SECRETS_MANAGER, as the SDK would be), the signature
 * checked by the SDK's own signer, and the cache's prefetch sharing one read with the first export.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import {
  IngestionKeyCache,
  IngestionKeyError,
  readSecret,
  readSecretWithSignedRequest,
} from '../../../../../layers/otel/src/ingestion-key';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../../../scripts/local/secrets-manager-stand-in';
import { NodeSha256 } from '../../../../support/node-sha256';

const SECRET_ID = 'trading-observability/signoz-ingestion-key';
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDINGESTIONTEST',
  AWS_SECRET_ACCESS_KEY: 'ingestion/test/secret',
  AWS_SESSION_TOKEN: 'ingestion-session',
};

let standIn: SecretsManagerStandIn;
const saved: Record<string, string | undefined> = {};
const signal = () => new AbortController().signal;

beforeAll(async () => {
  standIn = await startSecretsManagerStandIn({
    [SECRET_ID]: { value: JSON.stringify({ ingestionKey: 'key-from-json' }) },
    plain: { value: '  plain-key \n' },
  });
  for (const key of [...Object.keys(CREDENTIALS), 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_REGION']) {
    saved[key] = process.env[key];
  }
  Object.assign(process.env, CREDENTIALS, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
    AWS_REGION: 'eu-central-1',
  });
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await standIn.close();
});

beforeEach(() => {
  standIn.requests.length = 0;
  standIn.failure = undefined;
  standIn.delayMs = 0;
});

describe('readSecretWithSignedRequest', () => {
  it('reads a JSON or a plain secret with one signed GetSecretValue that the SDK signer agrees with', async () => {
    await expect(readSecretWithSignedRequest(SECRET_ID, signal())).resolves.toBe('key-from-json');
    await expect(readSecretWithSignedRequest('plain', signal())).resolves.toBe('plain-key');
    expect(standIn.requests.map((r) => r.operation)).toEqual(['GetSecretValue', 'GetSecretValue']);
    const request = standIn.requests[0];
    if (!request) throw new Error('no request');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.AWS_SESSION_TOKEN);
    expect(JSON.parse(request.body)).toEqual({ SecretId: SECRET_ID });
    const amzDate = String(request.headers['x-amz-date']);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const url = new URL(standIn.url);
    const signed = await new SignatureV4({
      credentials: {
        accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
        secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        sessionToken: CREDENTIALS.AWS_SESSION_TOKEN,
      },
      region: 'eu-central-1',
      service: 'secretsmanager',
      sha256: NodeSha256,
      applyChecksum: false,
    }).sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        query: {},
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'secretsmanager.GetSecretValue',
        },
        body: request.body,
      },
      { signingDate },
    );
    expect(request.headers.authorization).toBe(signed.headers.authorization);
    expect(request.headers.authorization).toContain('/eu-central-1/secretsmanager/aws4_request');
  });

  it("reports the service's error type and status (a missing secret, an outage)", async () => {
    await expect(readSecretWithSignedRequest('missing', signal())).rejects.toThrow(
      /GetSecretValue: ResourceNotFoundException \(HTTP 400\)/,
    );
    standIn.failure = { status: 500, type: 'InternalServiceError' };
    await expect(readSecretWithSignedRequest(SECRET_ID, signal())).rejects.toThrow(
      /InternalServiceError \(HTTP 500\)/,
    );
  });

  it('is the default reader where the environment has credentials (Lambda)', async () => {
    await expect(readSecret(SECRET_ID, signal())).resolves.toBe('key-from-json');
    expect(standIn.requests).toHaveLength(1);
  });

  it('stops at the abort signal when Secrets Manager does not answer', async () => {
    standIn.delayMs = 2_000;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await expect(readSecretWithSignedRequest(SECRET_ID, controller.signal)).rejects.toThrow(/abort/i);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe('IngestionKeyCache: the prefetch at cold init', () => {
  it('shares one read between the prefetch and the first export', async () => {
    standIn.delayMs = 50;
    const cache = new IngestionKeyCache(SECRET_ID);
    cache.prefetch(2_000);
    await expect(cache.get(signal())).resolves.toBe('key-from-json');
    await expect(cache.get(signal())).resolves.toBe('key-from-json');
    expect(standIn.requests).toHaveLength(1);
  });

  it('a failed prefetch is forgotten: the first export reads again, and its own failure is an IngestionKeyError', async () => {
    standIn.failure = { status: 500, type: 'InternalServiceError' };
    const cache = new IngestionKeyCache(SECRET_ID);
    cache.prefetch(2_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const failed = await cache.get(signal()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(IngestionKeyError);
    expect(standIn.requests).toHaveLength(2);
    standIn.failure = undefined;
    await expect(cache.get(signal())).resolves.toBe('key-from-json');
    expect(standIn.requests).toHaveLength(3);
  });

  it("an export's deadline ends its wait for a prefetch still under way", async () => {
    standIn.delayMs = 1_000;
    const cache = new IngestionKeyCache(SECRET_ID);
    cache.prefetch(5_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await expect(cache.get(controller.signal)).rejects.toThrow(/aborted/);
    expect(performance.now() - started).toBeLessThan(800);
    // The prefetch itself goes on and fills the cache for the next export.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await expect(cache.get(signal())).resolves.toBe('key-from-json');
    expect(standIn.requests).toHaveLength(1);
  });
});
