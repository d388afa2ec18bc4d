import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, TableKey } from '../../lambdas/shared/store/tables';

/** dynalite has no types; this is the part of its API we use. */
type DynaliteServer = {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback?: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
};
type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
}) => DynaliteServer;

export interface EmbeddedDynamo {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** Environment for handlers: table names and the endpoint (see lambdas/shared/config.ts). */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export interface EmbeddedDynamoOptions {
  /** Directory where dynalite persists (LevelDB); in memory when omitted. */
  readonly path?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

/**
 * Starts dynalite in this process and creates the product's tables (from lambdas/shared/store/tables.ts)
 * if they do not exist yet. dynalite lacks the TTL API, so TTL is not configured locally.
 */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
  });
  await new Promise<void>((resolve, reject) =>
    server.listen(options.port ?? 0, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
  );
  const address = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const env: Record<string, string> = { DYNAMODB_ENDPOINT: endpoint };
  for (const table of Object.values(TABLES)) {
    env[table.envVar] = table.localName;
    const exists = await client
      .send(new DescribeTableCommand({ TableName: table.localName }))
      .then(() => true)
      .catch(() => false);
    if (!exists) {
      await client.send(
        new CreateTableCommand({
          TableName: table.localName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: TableKey.PARTITION, AttributeType: 'S' },
            { AttributeName: TableKey.SORT, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: TableKey.PARTITION, KeyType: 'HASH' },
            { AttributeName: TableKey.SORT, KeyType: 'RANGE' },
          ],
        }),
      );
    }
  }
  client.destroy();
  return {
    endpoint,
    env,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
