import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config';
import type { PredictionInput, PricePointInput } from '../schemas';
import { batchPutAll, documentClient, expiresAfter, type Item, queryAll } from './dynamo';

/** Upper bound for a sort-key range ending at an ISO time (every suffix sorts below it). */
const SK_END = '\uffff';

export interface StoreContext {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  /** Data partition (`live`, `demo`, …): every key starts with it, so the demo never touches live data. */
  readonly namespace: string;
  /** Days raw items (predictions, prices, validations) live before TTL removes them. */
  readonly rawTtlDays: number;
}

/**
 * A function's store context for one of its tables, from its configuration: the shared client for the
 * configured endpoint, the data partition (overridable, e.g. the demo's) and the raw-item TTL.
 */
export function storeContext(
  app: Pick<AppConfig, 'dynamoEndpoint' | 'namespace' | 'rawTtlDays'>,
  table: string,
  namespace: string = app.namespace,
): StoreContext {
  return { client: documentClient(app.dynamoEndpoint), table, namespace, rawTtlDays: app.rawTtlDays };
}

export const MarketKey = {
  prediction: (ns: string, symbol: string) => `${ns}#PRED#${symbol}`,
  price: (ns: string, symbol: string) => `${ns}#PRICE#${symbol}`,
  validation: (ns: string, symbol: string) => `${ns}#VAL#${symbol}`,
  symbols: (ns: string) => `${ns}#SYMBOLS`,
  summary: (ns: string) => `${ns}#SUMMARY`,
  /** Identity of a prediction: the same (symbol, model, predictedAt, targetTime) is one item. */
  predictionSort: (p: { targetTime: string; model: string; predictedAt: string }) =>
    `${p.targetTime}#${p.model}#${p.predictedAt}`,
} as const;

export interface StoredPrediction extends PredictionInput {
  readonly recordedAt: string;
}

function symbolRegistryItems(ns: string, symbols: Iterable<string>, at: string): Item[] {
  return [...new Set(symbols)].map((symbol) => ({
    pk: MarketKey.symbols(ns),
    sk: symbol,
    symbol,
    lastSeen: at,
  }));
}

/**
 * How far ahead of now a raw item's expiry may be anchored: a target time in 2099 must not keep an item
 * until 2100. A year covers any forecast horizon the product validates (validate_all looks back ≤ 365 days).
 */
export const RAW_TTL_MAX_AHEAD_DAYS = 366;

/**
 * Raw items expire `rawTtlDays` after the later of their own time and now (a prediction for next month
 * lives until it can be validated and then `rawTtlDays` more), the anchor capped `RAW_TTL_MAX_AHEAD_DAYS` ahead.
 * Times are the schema's normalised ISO strings, so they compare as strings.
 */
export function rawExpiry(ctx: Pick<StoreContext, 'rawTtlDays'>, itemTime: string, now: string): number {
  const latest = new Date(Date.parse(now) + RAW_TTL_MAX_AHEAD_DAYS * 86_400_000).toISOString();
  const anchor = itemTime <= now ? now : itemTime < latest ? itemTime : latest;
  return expiresAfter(ctx.rawTtlDays, anchor);
}

/**
 * Registers the symbols, then writes the items. In this order a batch cut short (a killed process, throttling
 * past the retries) is still visible to `validate_all` and `analyze` without `symbols`: its stored items are
 * found through the registry, and the caller's retry rewrites the same keys (registry and items), so nothing
 * is counted twice. A registered symbol without items costs one empty query.
 */
async function putRegistered(
  ctx: StoreContext,
  items: readonly Item[],
  symbols: readonly string[],
  at: string,
): Promise<{ written: number; retries: number }> {
  await batchPutAll(ctx.client, ctx.table, symbolRegistryItems(ctx.namespace, symbols, at));
  return batchPutAll(ctx.client, ctx.table, items);
}

/** Stores predictions idempotently (deterministic keys) and registers their symbols. */
export async function putPredictions(
  ctx: StoreContext,
  predictions: readonly PredictionInput[],
  now = new Date(),
): Promise<{ written: number; retries: number }> {
  const recordedAt = now.toISOString();
  const items: Item[] = predictions.map((p) => ({
    pk: MarketKey.prediction(ctx.namespace, p.symbol),
    sk: MarketKey.predictionSort(p),
    ...p,
    recordedAt,
    expiresAt: rawExpiry(ctx, p.targetTime, recordedAt),
  }));
  return putRegistered(
    ctx,
    items,
    predictions.map((p) => p.symbol),
    recordedAt,
  );
}

/** Stores prices idempotently (one item per symbol and timestamp) and registers their symbols. */
export async function putPrices(
  ctx: StoreContext,
  prices: readonly PricePointInput[],
  now = new Date(),
): Promise<{ written: number; retries: number }> {
  const at = now.toISOString();
  const items: Item[] = prices.map((p) => ({
    pk: MarketKey.price(ctx.namespace, p.symbol),
    sk: p.timestamp,
    ...p,
    expiresAt: rawExpiry(ctx, p.timestamp, at),
  }));
  return putRegistered(
    ctx,
    items,
    prices.map((p) => p.symbol),
    at,
  );
}

export async function listSymbols(ctx: StoreContext): Promise<string[]> {
  const items = await queryAll(ctx.client, {
    TableName: ctx.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': MarketKey.symbols(ctx.namespace) },
    ProjectionExpression: 'symbol',
  });
  return items.map((item) => String(item.symbol)).sort();
}

/** Predictions of one symbol whose targetTime lies in [from, to] (ISO strings). */
export async function queryPredictions(
  ctx: StoreContext,
  symbol: string,
  from: string,
  to: string,
): Promise<StoredPrediction[]> {
  const items = await queryAll(ctx.client, {
    TableName: ctx.table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': MarketKey.prediction(ctx.namespace, symbol),
      ':from': from,
      ':to': `${to}${SK_END}`,
    },
  });
  return items.map(toPrediction);
}

/** Prices of one symbol with timestamp in [from, to], ascending. */
export async function queryPrices(
  ctx: StoreContext,
  symbol: string,
  from: string,
  to: string,
): Promise<PricePointInput[]> {
  const items = await queryAll(ctx.client, {
    TableName: ctx.table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': MarketKey.price(ctx.namespace, symbol), ':from': from, ':to': to },
    ProjectionExpression: 'symbol, #ts, price',
    ExpressionAttributeNames: { '#ts': 'timestamp' },
  });
  return items.map((item) => ({
    symbol: String(item.symbol),
    timestamp: String(item.timestamp),
    price: Number(item.price),
  }));
}

/** Stores per-prediction validation outcomes under the prediction's identity (a re-run overwrites). */
export async function putValidations(
  ctx: StoreContext,
  records: ReadonlyArray<{ symbol: string; model: string; predictedAt: string; targetTime: string } & Item>,
  now = new Date(),
): Promise<{ written: number; retries: number }> {
  const validatedAt = now.toISOString();
  return batchPutAll(
    ctx.client,
    ctx.table,
    records.map((record) => ({
      ...record,
      pk: MarketKey.validation(ctx.namespace, record.symbol),
      sk: MarketKey.predictionSort(record),
      validatedAt,
      expiresAt: expiresAfter(ctx.rawTtlDays, validatedAt),
    })),
  );
}

/** Validation outcomes of one symbol whose targetTime lies in [from, to]. */
export async function queryValidations(
  ctx: StoreContext,
  symbol: string,
  from: string,
  to: string,
): Promise<Item[]> {
  return queryAll(ctx.client, {
    TableName: ctx.table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': MarketKey.validation(ctx.namespace, symbol),
      ':from': from,
      ':to': `${to}${SK_END}`,
    },
  });
}

/** Persists an accuracy summary (kept `ttlDays`, longer than raw items: dashboards look back 90 days). */
export async function putSummary(
  ctx: StoreContext,
  summaryId: string,
  computedAt: string,
  summary: Item,
  ttlDays: number,
): Promise<void> {
  await batchPutAll(ctx.client, ctx.table, [
    {
      pk: MarketKey.summary(ctx.namespace),
      sk: `${computedAt}#${summaryId}`,
      summaryId,
      computedAt,
      summary,
      expiresAt: expiresAfter(ttlDays, computedAt),
    },
  ]);
}

/** The latest `limit` summaries, newest first. */
export async function latestSummaries(ctx: StoreContext, limit: number): Promise<Item[]> {
  const items = await queryAll(
    ctx.client,
    {
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': MarketKey.summary(ctx.namespace) },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items;
}

function toPrediction(item: Item): StoredPrediction {
  return {
    symbol: String(item.symbol),
    model: String(item.model),
    predictedAt: String(item.predictedAt),
    targetTime: String(item.targetTime),
    basePrice: Number(item.basePrice),
    predictedPrice: Number(item.predictedPrice),
    confidence: Number(item.confidence),
    recordedAt: String(item.recordedAt),
  };
}
