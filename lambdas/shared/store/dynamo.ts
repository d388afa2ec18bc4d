import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DependencyError, FailureCode } from '../errors';

/** DynamoDB failed (unprocessed items left after the retries, a failed write or read). */
export class StoreError extends DependencyError {
  override readonly name = 'StoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.STORE_FAILED, message, options);
  }
}

export type Item = Record<string, unknown>;

const clients = new Map<string, DynamoDBDocumentClient>();

/**
 * One document client per endpoint, created once per execution environment. The SDK's standard retry
 * mode retries throttling (ProvisionedThroughputExceeded, ThrottlingException) with back-off.
 */
export function documentClient(endpoint?: string): DynamoDBDocumentClient {
  const key = endpoint ?? '';
  let client = clients.get(key);
  if (!client) {
    const base = new DynamoDBClient({
      maxAttempts: 6,
      ...(endpoint ? { endpoint } : {}),
    });
    client = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    clients.set(key, client);
  }
  return client;
}

export const BATCH_WRITE_LIMIT = 25;

export interface BatchWriteOptions {
  /** Attempts for items that come back in UnprocessedItems. @default 8 */
  readonly maxAttempts?: number;
  /** Base of the exponential back-off with full jitter. @default 50 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Puts all items in batches of 25, re-sending UnprocessedItems with exponential back-off and jitter.
 * Items are keyed deterministically, so a retried put overwrites itself: nothing is counted twice.
 * Throws StoreError if items are still unprocessed after the last attempt.
 */
export async function batchPutAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Item[],
  options: BatchWriteOptions = {},
): Promise<{ written: number; retries: number }> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const sleep = options.sleep ?? defaultSleep;
  // The same key twice in one BatchWriteItem is a ValidationException: keep the last occurrence.
  const unique = new Map<string, Item>();
  for (const item of items) unique.set(`${String(item.pk)}\u0000${String(item.sk)}`, item);
  const all = [...unique.values()];
  let retries = 0;
  for (let offset = 0; offset < all.length; offset += BATCH_WRITE_LIMIT) {
    let requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string] = all
      .slice(offset, offset + BATCH_WRITE_LIMIT)
      .map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      const output = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = output.UnprocessedItems?.[tableName] ?? [];
      if (requests.length === 0) break;
      if (attempt >= maxAttempts) {
        throw new StoreError(`${requests.length} items still unprocessed after ${attempt} attempts`);
      }
      retries += 1;
      await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
    }
  }
  return { written: all.length, retries };
}

/** Runs a query to the end (following LastEvaluatedKey), up to `limit` items. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit = Number.POSITIVE_INFINITY,
): Promise<Item[]> {
  const items: Item[] = [];
  let exclusiveStartKey: QueryCommandInput['ExclusiveStartKey'];
  do {
    const output = await client.send(
      new QueryCommand({ ...input, ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}) }),
    );
    for (const item of output.Items ?? []) {
      items.push(item);
      if (items.length >= limit) return items;
    }
    exclusiveStartKey = output.LastEvaluatedKey;
  } while (exclusiveStartKey);
  return items;
}

/** Epoch seconds `days` after `from`, for the table's TTL attribute. */
export function expiresAfter(days: number, from: Date | string = new Date()): number {
  return Math.floor(new Date(from).getTime() / 1000) + Math.round(days * 86_400);
}
