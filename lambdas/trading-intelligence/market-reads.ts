/** The market-table reads of trading-intelligence: Queries only (the function's role allows nothing else). */
import { MarketKey, queryAll, type StoreContext } from '../shared/store';

/**
 * The latest `limit` prices of a symbol with timestamp in [from, to], oldest first. One Query read newest
 * first with a Limit, so a symbol with a long intraday history costs `limit` items, not the whole window.
 */
export async function recentPrices(
  ctx: StoreContext,
  symbol: string,
  from: string,
  to: string,
  limit: number,
): Promise<number[]> {
  const items = await queryAll(
    ctx.client,
    {
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': MarketKey.price(ctx.namespace, symbol), ':from': from, ':to': to },
      ProjectionExpression: 'price',
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items
    .map((item) => Number(item.price))
    .filter((price) => Number.isFinite(price) && price > 0)
    .reverse();
}
