import { batchPutAll, expiresAfter, type Item, queryAll } from './dynamo';
import type { StoreContext } from './market-store';

/** Stored rankings are kept this long (dashboards look back 90 days). */
export const RANKING_TTL_DAYS = 90;

export const RankingKey = {
  /** One partition per data namespace; the sort key is the ranking's time (asOf, ISO), so newest is last. */
  ranking: (ns: string) => `${ns}#RANKING`,
} as const;

/** A ranking as stored: its time plus whatever the analysis returned (kept as one item). */
export type RankingRecord = { readonly asOf: string } & Item;

/**
 * Stores a ranking under its time. The same asOf written twice (a retried scheduled run) overwrites
 * itself: one ranking per time, nothing counted twice. Kept `ttlDays` after the later of asOf and now.
 */
export async function putRanking(
  ctx: StoreContext,
  ranking: RankingRecord,
  ttlDays: number = RANKING_TTL_DAYS,
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString();
  await batchPutAll(ctx.client, ctx.table, [
    {
      ...ranking,
      pk: RankingKey.ranking(ctx.namespace),
      sk: ranking.asOf,
      storedAt: at,
      expiresAt: expiresAfter(ttlDays, new Date(Math.max(Date.parse(ranking.asOf), now.getTime()))),
    },
  ]);
}

/** The latest `limit` rankings by asOf, newest first, without their key attributes. */
export async function latestRankings(ctx: StoreContext, limit: number): Promise<RankingRecord[]> {
  const items = await queryAll(
    ctx.client,
    {
      TableName: ctx.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': RankingKey.ranking(ctx.namespace) },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items.map(({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...rest }) => rest as RankingRecord);
}
