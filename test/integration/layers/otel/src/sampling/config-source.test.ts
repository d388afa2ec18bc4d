/**
 * The layer's sampling configuration read without the AWS SDK: one signed GetItem against the embedded
 * DynamoDB (AWS_ENDPOINT_URL_DYNAMODB), and the cold-init warm-up that starts it (and the key read) before
 * the first invocation, so that invocation samples with the stored configuration.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import {
  createSamplingConfigSource,
  dynamoDbConfigLoader,
  initTelemetry,
  instrument,
  MemorySink,
  SAMPLING_CONFIG_ATTRIBUTE,
  SAMPLING_CONFIG_KEY,
  withSpan,
} from '../../../../../../layers/otel/src';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../../../../scripts/local/embedded-dynamo';
import { type OtlpReceiver, startOtlpReceiver } from '../../../../../../scripts/local/otlp-receiver';
import { lambdaContext } from '../../../../../../scripts/local/runtime';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../../../../scripts/local/secrets-manager-stand-in';

const TABLE = 'trading-observability-sampling';
const EMPTY_TABLE = 'trading-observability-market';
const SECRET_ID = 'trading-observability/signoz-ingestion-key';

let dynamo: EmbeddedDynamo;
let secrets: SecretsManagerStandIn;
let receiver: OtlpReceiver;
let client: DynamoDBClient;
const saved: Record<string, string | undefined> = {};

async function storeConfig(config: unknown): Promise<void> {
  await client.send(
    new PutItemCommand({
      TableName: TABLE,
      Item: {
        pk: { S: SAMPLING_CONFIG_KEY.pk },
        sk: { S: SAMPLING_CONFIG_KEY.sk },
        [SAMPLING_CONFIG_ATTRIBUTE]: typeof config === 'string' ? { S: config } : (config as never),
      },
    }),
  );
}

const ALL_ONE = {
  M: {
    version: { N: '7' },
    probabilities: {
      M: {
        trading: { N: '1' },
        ml_validation: { N: '1' },
        market_data: { N: '1' },
        invocation: { N: '1' },
        noise: { N: '1' },
      },
    },
    highValueScore: { N: '70' },
    highValueNotional: { N: '1000000' },
    updatedAt: { S: '2026-11-25T14:00:00.000Z' },
    reason: { S: 'test: export everything' },
  },
};

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  secrets = await startSecretsManagerStandIn({ [SECRET_ID]: { value: '{"ingestionKey":"warm-key"}' } });
  for (const key of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SECRETS_MANAGER'])
    saved[key] = process.env[key];
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
  client = new DynamoDBClient({ endpoint: dynamo.endpoint });
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  client.destroy();
  await secrets.close();
  await dynamo.stop();
  initTelemetry({ logSink: new MemorySink(), metricsSink: new MemorySink(), spanSink: new MemorySink() });
});

describe('dynamoDbConfigLoader: one signed GetItem', () => {
  it('reads a stored map, a JSON string, and nothing from a table without the item', async () => {
    await storeConfig(ALL_ONE);
    await expect(dynamoDbConfigLoader(TABLE)()).resolves.toMatchObject({
      version: 7,
      probabilities: { noise: 1, trading: 1 },
      reason: 'test: export everything',
    });
    await storeConfig(JSON.stringify({ version: 8 }));
    await expect(dynamoDbConfigLoader(TABLE)()).resolves.toBe('{"version":8}');
    await expect(dynamoDbConfigLoader(EMPTY_TABLE)()).resolves.toBeUndefined();
  });

  it("a missing table is the service's error, kept as the source's last error (defaults stay)", async () => {
    const source = createSamplingConfigSource({ tableName: 'no-such-table', timeoutMs: 5_000 });
    await source.refresh(true);
    expect(source.status().source).toBe('defaults');
    expect(source.status().lastError).toMatch(/GetItem: ResourceNotFoundException \(HTTP 400\)/);
  });
});

describe('Telemetry.warmUp at cold init', () => {
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    secrets.requests.length = 0;
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('reads the configuration and the key before the first invocation, which samples with the stored configuration', async () => {
    await storeConfig(ALL_ONE);
    const telemetry = initTelemetry({
      config: {
        mode: 'otlp',
        tracesEndpoint: `${receiver.url}/v1/traces`,
        ingestionKeySecretId: SECRET_ID,
        tracesSampler: 'business_aware',
        samplingConfigTable: TABLE,
        exportTimeoutMs: 2_000,
      },
      logSink: new MemorySink(),
      metricsSink: new MemorySink(),
    });
    telemetry.warmUp();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secrets.requests.map((r) => r.operation)).toEqual(['GetSecretValue']);

    // 30 noise spans: the built-in defaults export 5 % of them; the stored configuration exports all.
    const handler = instrument(async () => {
      for (let i = 0; i < 30; i++) await withSpan('dependency.healthcheck', {}, () => i);
      return { ok: true };
    });
    const context: Context = lambdaContext('dual-accuracy-tracker');
    await expect(handler({}, context)).resolves.toEqual({ ok: true });
    expect(telemetry.lastFlush).toMatchObject({ outcome: 'exported', recorded: 31, exported: 31 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.headers['signoz-ingestion-key']).toBe('warm-key');
    // The key was read once, at warm-up.
    expect(secrets.requests).toHaveLength(1);
  });

  it('does nothing outside OTLP mode (tests, local runs)', async () => {
    const telemetry = initTelemetry({
      config: { mode: 'off', ingestionKeySecretId: SECRET_ID, samplingConfigTable: TABLE },
      logSink: new MemorySink(),
      metricsSink: new MemorySink(),
      spanSink: new MemorySink(),
    });
    telemetry.warmUp();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(secrets.requests).toHaveLength(0);
  });
});
