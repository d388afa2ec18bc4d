/**
 * Loopback stand-ins for what a function talks to on its first invocation: the embedded DynamoDB with the
 * stack's tables (named by their logical ids), a Secrets Manager stand-in holding the ingestion key, and an
 * OTLP/HTTP receiver. Functions reach them through the SDK's standard `AWS_ENDPOINT_URL_<SERVICE>`.
 */
import { createServer } from 'node:net';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SAMPLING_CONFIG_ATTRIBUTE, SAMPLING_CONFIG_KEY } from '../../layers/otel/src/sampling/config-source';
import { SAMPLING_CATEGORIES } from '../../layers/otel/src/sampling/types';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../local/embedded-dynamo';
import { type OtlpReceiver, startOtlpReceiver } from '../local/otlp-receiver';
import { type SecretsManagerStandIn, startSecretsManagerStandIn } from '../local/secrets-manager-stand-in';

/** The ingestion key the Secrets Manager stand-in holds (a JSON secret, as the runbook stores it). */
export const BENCH_INGESTION_KEY = 'bench-ingestion-key';

/**
 * Credentials as Lambda passes them (environment variables); the stand-ins do not check signatures, but
 * every client signs with them as in production.
 */
export const BENCH_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDBENCHEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'bench/secret/key/EXAMPLE',
  AWS_SESSION_TOKEN: 'bench-session-token',
} as const;

export interface StandIns {
  readonly dynamo: EmbeddedDynamo;
  readonly secrets: SecretsManagerStandIn;
  readonly receiver: OtlpReceiver;
  /** An address with nothing listening: services a first invocation should not call (CloudWatch). */
  readonly nowhere: string;
  /** `AWS_ENDPOINT_URL_<SERVICE>` for every child. */
  readonly endpoints: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 9;
}

export interface StandInOptions {
  /** Table names to create (the stack's logical ids). */
  readonly tables: readonly string[];
  /** Tables that hold the sampling configuration item the layer reads. */
  readonly samplingConfigTables: readonly string[];
  /** The ingestion key secret's name. */
  readonly secretName: string;
}

/**
 * Starts the stand-ins. The sampling configuration stored is version 1 with every probability 1: the
 * layer reads it (a real GetItem) and then exports every round, so each round pays one real export.
 */
export async function startStandIns(options: StandInOptions): Promise<StandIns> {
  const dynamo = await startEmbeddedDynamo();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    for (const table of options.tables) {
      await client.send(
        new CreateTableCommand({
          TableName: table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
    }
    const probabilities = Object.fromEntries(SAMPLING_CATEGORIES.map((category) => [category, { N: '1' }]));
    for (const table of options.samplingConfigTables) {
      await client.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            pk: { S: SAMPLING_CONFIG_KEY.pk },
            sk: { S: SAMPLING_CONFIG_KEY.sk },
            [SAMPLING_CONFIG_ATTRIBUTE]: {
              M: {
                version: { N: '1' },
                probabilities: { M: probabilities },
                highValueScore: { N: '70' },
                highValueNotional: { N: '1000000' },
                updatedAt: { S: new Date().toISOString() },
                reason: { S: 'bench: export every span' },
              },
            },
          },
        }),
      );
    }
  } finally {
    client.destroy();
  }
  const secrets = await startSecretsManagerStandIn({
    [options.secretName]: { value: JSON.stringify({ ingestionKey: BENCH_INGESTION_KEY }) },
  });
  const receiver = await startOtlpReceiver();
  const nowhere = `http://127.0.0.1:${await unusedPort()}`;
  return {
    dynamo,
    secrets,
    receiver,
    nowhere,
    endpoints: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_CLOUDWATCH: nowhere,
    },
    close: async () => {
      await receiver.close();
      await secrets.close();
      await dynamo.stop();
    },
  };
}
