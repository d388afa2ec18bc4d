import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLES, TableKey } from '../../lambdas/shared/store/tables';
import { ScriptError, ScriptErrorCode } from '../errors';

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
  /** True when this process uses a store another process holds (and `stop` leaves it running). */
  readonly shared?: boolean;
  stop(): Promise<void>;
}

/** The store directory is held by another process (LevelDB allows one). */
export class StoreInUseError extends ScriptError {
  override readonly name = 'StoreInUseError';
  constructor(
    readonly storePath: string,
    message = `the local store ${path.relative(process.cwd(), storePath) || '.'} is in use by another process`,
    options?: { cause?: unknown },
  ) {
    super(ScriptErrorCode.STORE_IN_USE, message, options);
  }
}

/** dynalite's LevelDB binding (resolved through dynalite: the exact module it opens the store with). */
type LevelFactory = new (
  location: string,
  options: { valueEncoding: 'json' },
) => { open(): Promise<void>; close(): Promise<void> };

/**
 * Fails with StoreInUseError when another process holds the store. dynalite would start anyway and crash
 * later with an uncaught "Database is closed" on its first request, so the lock is tried first: open and
 * close the LevelDB directory (a moment; the window before dynalite opens it again is as short).
 */
export async function assertStoreFree(storePath: string): Promise<void> {
  const levelPath = require.resolve('level', { paths: [path.dirname(require.resolve('dynalite'))] });
  const { Level } = require(levelPath) as { Level: LevelFactory };
  const db = new Level(storePath, { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new StoreInUseError(storePath, undefined, { cause: error });
    throw error;
  }
  await db.close();
}

/** The handlers' environment for a store at `endpoint`: the endpoint and the product's table names. */
export function storeEnv(endpoint: string): Record<string, string> {
  const env: Record<string, string> = { DYNAMODB_ENDPOINT: endpoint };
  for (const table of Object.values(TABLES)) env[table.envVar] = table.localName;
  return env;
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
  if (options.path) await assertStoreFree(options.path);
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
  const env = storeEnv(endpoint);
  for (const table of Object.values(TABLES)) {
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
