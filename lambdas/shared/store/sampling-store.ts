/**
 * The versioned sampling configuration (sampling table). Per data namespace one partition:
 * - `CURRENT`: the configuration the layer reads (attribute `config`, a map the layer's
 *   `normalizeSamplingConfig` accepts), plus the reason and inputs of the run that wrote it;
 * - `v#<10-digit version>`: every version ever committed (history, kept 90 days);
 * - `LAST_RUN`: the latest optimizer run, whether it changed anything or not (for `status`).
 * The live namespace's partition is exactly the layer's `SAMPLING_CONFIG_KEY.pk` (`SAMPLING_CONFIG`);
 * any other namespace is prefixed (`demo#SAMPLING_CONFIG`), so the demo never steers live sampling.
 *
 * Reads use Query only (the optimizer and the demo are granted Query and PutItem on this table).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  SAMPLING_CONFIG_ATTRIBUTE,
  SAMPLING_CONFIG_KEY,
  type SamplingConfig,
} from '@trading-observability/otel';
import { FailureCode, TradingObservabilityError } from '../errors';
import { isLivePartition } from '../partition';
import { expiresAfter, type Item, queryAll, StoreError } from './dynamo';
import type { StoreContext } from './market-store';

/** Versions are kept this long (dashboards look back 90 days); CURRENT and LAST_RUN never expire. */
export const SAMPLING_HISTORY_TTL_DAYS = 90;
const VERSION_PREFIX = 'v#';

export const SamplingKey = {
  partition: (ns: string) =>
    // The live partition's configuration is the one the deployed layer reads.
    isLivePartition(ns) ? SAMPLING_CONFIG_KEY.pk : `${ns}#${SAMPLING_CONFIG_KEY.pk}`,
  current: SAMPLING_CONFIG_KEY.sk,
  lastRun: 'LAST_RUN',
  version: (version: number) => `${VERSION_PREFIX}${String(version).padStart(10, '0')}`,
} as const;

/** Another optimizer run committed first (optimistic concurrency): not a dependency failure. */
export class SamplingVersionConflictError extends TradingObservabilityError {
  override readonly name = 'SamplingVersionConflictError';
  constructor(
    readonly expectedVersion: number,
    options?: { cause?: unknown },
  ) {
    super(
      FailureCode.SAMPLING_VERSION_CONFLICT,
      `the sampling configuration is no longer version ${expectedVersion}: another run committed first`,
      options,
    );
  }
}

/** A committed configuration: what the layer reads (`config`) and why it was chosen. */
export interface SamplingConfigRecord {
  readonly version: number;
  readonly previousVersion: number;
  readonly config: SamplingConfig;
  readonly reason: string;
  readonly createdAt: string;
  /** The Scheduler's time of the run that wrote it (a retried run sees it and does not bump again). */
  readonly scheduledTime?: string;
  /** Inputs and projection of the run (volumes, accuracy, costs); free-form for reports. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The latest optimizer run, changed or not. */
export interface SamplingRunRecord {
  readonly at: string;
  readonly version: number;
  readonly changed: boolean;
  readonly reason: string;
  readonly scheduledTime?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

function withoutKeys(item: Item): Item {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...rest } = item;
  return rest;
}

async function getOne(ctx: StoreContext, sk: string): Promise<Item | undefined> {
  const items = await queryAll(
    ctx.client,
    {
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': SamplingKey.partition(ctx.namespace), ':sk': sk },
      ConsistentRead: true,
    },
    1,
  );
  return items[0];
}

/** The committed configuration the layer reads, or undefined when none was ever written. */
export async function getCurrentSamplingConfig(ctx: StoreContext): Promise<SamplingConfigRecord | undefined> {
  const item = await getOne(ctx, SamplingKey.current);
  return item ? (withoutKeys(item) as unknown as SamplingConfigRecord) : undefined;
}

export async function getLastSamplingRun(ctx: StoreContext): Promise<SamplingRunRecord | undefined> {
  const item = await getOne(ctx, SamplingKey.lastRun);
  return item ? (withoutKeys(item) as unknown as SamplingRunRecord) : undefined;
}

/** The last `limit` committed versions, newest first. */
export async function listSamplingConfigVersions(
  ctx: StoreContext,
  limit: number,
): Promise<SamplingConfigRecord[]> {
  const items = await queryAll(
    ctx.client,
    {
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': SamplingKey.partition(ctx.namespace), ':prefix': VERSION_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items.map((item) => withoutKeys(item) as unknown as SamplingConfigRecord);
}

/**
 * Commits `record` (version = previousVersion + 1) with optimistic concurrency: CURRENT is written only if
 * it still holds `record.previousVersion` (or does not exist yet), so of two concurrent runs exactly one
 * bumps the version; the other gets SamplingVersionConflictError and writes nothing. CURRENT is written
 * first because it is what the layer reads; the history item follows (never overwritten).
 */
export async function commitSamplingConfig(ctx: StoreContext, record: SamplingConfigRecord): Promise<void> {
  if (record.version !== record.previousVersion + 1 || record.config.version !== record.version) {
    throw new StoreError(
      `version ${record.version} (config ${record.config.version}) does not follow ${record.previousVersion}`,
    );
  }
  const pk = SamplingKey.partition(ctx.namespace);
  const body: Item = { ...record, [SAMPLING_CONFIG_ATTRIBUTE]: record.config };
  try {
    await ctx.client.send(
      new PutCommand({
        TableName: ctx.table,
        Item: { ...body, pk, sk: SamplingKey.current },
        ConditionExpression: 'attribute_not_exists(pk) OR #version = :previous',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':previous': record.previousVersion },
      }),
    );
  } catch (error) {
    if (
      error instanceof ConditionalCheckFailedException ||
      (error as Error).name === 'ConditionalCheckFailedException'
    ) {
      throw new SamplingVersionConflictError(record.previousVersion, { cause: error });
    }
    throw error;
  }
  await ctx.client.send(
    new PutCommand({
      TableName: ctx.table,
      Item: {
        ...body,
        pk,
        sk: SamplingKey.version(record.version),
        expiresAt: expiresAfter(SAMPLING_HISTORY_TTL_DAYS, record.createdAt),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

/** Records the latest run (overwrites the previous LAST_RUN). */
export async function putLastSamplingRun(ctx: StoreContext, run: SamplingRunRecord): Promise<void> {
  await ctx.client.send(
    new PutCommand({
      TableName: ctx.table,
      Item: { ...run, pk: SamplingKey.partition(ctx.namespace), sk: SamplingKey.lastRun },
    }),
  );
}
