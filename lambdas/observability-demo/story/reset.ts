/**
 * Empties the demo's data partition before a replay, so each run replays from nothing: a feed gap is a
 * gap, a refused payload provably wrote nothing, and the figures are this run's. Only keys of the demo's
 * own partition are read and deleted (Query by partition key, BatchWrite deletes); live data is never
 * touched (the partition is never the live one: see `demoNamespace`).
 */
import { BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { isLivePartition } from '../../shared/partition';
import {
  BATCH_WRITE_LIMIT,
  listSymbols,
  MarketKey,
  queryAll,
  RankingKey,
  type StoreContext,
} from '../../shared/store';
import { StepFailedError } from '../errors';

type Requests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

async function deleteKeys(ctx: StoreContext, pk: string): Promise<number> {
  const items = await queryAll(ctx.client, {
    TableName: ctx.table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'pk, sk',
  });
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT) {
    let requests: Requests = items
      .slice(i, i + BATCH_WRITE_LIMIT)
      .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
    // Unprocessed deletes are re-sent (a throttled batch must not leave half a partition behind).
    for (let attempt = 1; requests.length > 0; attempt++) {
      const output = await ctx.client.send(
        new BatchWriteCommand({ RequestItems: { [ctx.table]: requests } }),
      );
      requests = output.UnprocessedItems?.[ctx.table] ?? [];
      if (attempt >= 8 && requests.length > 0) {
        throw new StepFailedError(`${requests.length} deletes still unprocessed in ${pk}`);
      }
    }
  }
  return items.length;
}

/** Deletes the partition's prices, predictions, validations, summaries, symbol registry and rankings. */
export async function resetPartition(market: StoreContext, rankings: StoreContext): Promise<number> {
  if (isLivePartition(market.namespace) || isLivePartition(rankings.namespace)) {
    throw new StepFailedError('refusing to reset the live partition');
  }
  const ns = market.namespace;
  let deleted = 0;
  for (const symbol of await listSymbols(market)) {
    for (const pk of [
      MarketKey.price(ns, symbol),
      MarketKey.prediction(ns, symbol),
      MarketKey.validation(ns, symbol),
    ]) {
      deleted += await deleteKeys(market, pk);
    }
  }
  deleted += await deleteKeys(market, MarketKey.summary(ns));
  deleted += await deleteKeys(market, MarketKey.symbols(ns));
  deleted += await deleteKeys(rankings, RankingKey.ranking(rankings.namespace));
  return deleted;
}
