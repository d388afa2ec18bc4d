/**
 * The market store on the embedded DynamoDB: a prediction's identity (two predictions by one model for one
 * target made at different times are two items), raw-item TTL (from the later target time, bounded), and the
 * symbol registry written before the items (a batch cut short stays visible).
 */
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { PredictionInput } from '../../../../../lambdas/shared/schemas';
import {
  documentClient,
  listSymbols,
  MarketKey,
  putPredictions,
  putPrices,
  queryPredictions,
  RAW_TTL_MAX_AHEAD_DAYS,
  type StoreContext,
} from '../../../../../lambdas/shared/store';
import { TABLES } from '../../../../../lambdas/shared/store/tables';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../../../scripts/local/embedded-dynamo';
import { awsError } from '../../../../support/reliability-faults';

const DAY_S = 86_400;
const NOW = new Date('2026-11-24T15:00:00.000Z');
const NOW_S = Date.parse(NOW.toISOString()) / 1000;

let store: EmbeddedDynamo;
let ctx: StoreContext;

const prediction = (overrides: Partial<PredictionInput> = {}): PredictionInput => ({
  symbol: 'AAPL',
  model: 'lstm-v3',
  predictedAt: '2026-11-24T14:00:00.000Z',
  targetTime: '2026-11-24T15:00:00.000Z',
  basePrice: 187.2,
  predictedPrice: 189.9,
  confidence: 0.74,
  ...overrides,
});

async function storedPredictions(namespace: string, symbol: string) {
  const { items } = await ctx.client
    .send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': MarketKey.prediction(namespace, symbol) },
      }),
    )
    .then((output) => ({ items: output.Items ?? [] }));
  return items;
}

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  ctx = {
    client: documentClient(store.endpoint),
    table: TABLES.market.localName,
    namespace: 'market-store-test',
    rawTtlDays: 30,
  };
});

afterAll(async () => {
  await store?.stop();
});

describe('a prediction is identified by (symbol, model, predictedAt, targetTime)', () => {
  it('keeps two predictions by one model for one target time made at different times', async () => {
    const c = { ...ctx, namespace: 'identity' };
    const early = prediction({ predictedAt: '2026-11-24T13:00:00.000Z', predictedPrice: 188 });
    const late = prediction({ predictedAt: '2026-11-24T14:30:00.000Z', predictedPrice: 191 });
    await putPredictions(c, [early], NOW);
    await putPredictions(c, [late], NOW);
    const stored = await queryPredictions(c, 'AAPL', '2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z');
    expect(stored.map((p) => [p.predictedAt, p.predictedPrice]).sort()).toEqual([
      ['2026-11-24T13:00:00.000Z', 188],
      ['2026-11-24T14:30:00.000Z', 191],
    ]);
    // The same identity again is the same item (a retry).
    await putPredictions(c, [late], NOW);
    expect(await storedPredictions('identity', 'AAPL')).toHaveLength(2);
  });
});

describe('raw-item TTL', () => {
  it('runs from the later target time, not from now, for a prediction of the future', async () => {
    const c = { ...ctx, namespace: 'ttl-future' };
    const targetTime = '2026-12-04T15:00:00.000Z'; // 10 days after NOW
    await putPredictions(c, [prediction({ targetTime })], NOW);
    const [item] = await storedPredictions('ttl-future', 'AAPL');
    expect(item?.expiresAt).toBe(Date.parse(targetTime) / 1000 + 30 * DAY_S);
    expect(item?.expiresAt).toBe(NOW_S + 40 * DAY_S);
  });

  it('runs from now for a target time in the past (a backfill)', async () => {
    const c = { ...ctx, namespace: 'ttl-past' };
    await putPredictions(
      c,
      [prediction({ predictedAt: '2026-01-05T14:00:00.000Z', targetTime: '2026-01-05T15:00:00.000Z' })],
      NOW,
    );
    const [item] = await storedPredictions('ttl-past', 'AAPL');
    expect(item?.expiresAt).toBe(NOW_S + 30 * DAY_S);
  });

  it(`is bounded: a target time in 2099 expires ${RAW_TTL_MAX_AHEAD_DAYS} + 30 days from now, not in 2100`, async () => {
    const c = { ...ctx, namespace: 'ttl-bounded' };
    await putPredictions(c, [prediction({ targetTime: '2099-06-01T15:00:00.000Z' })], NOW);
    await putPrices(c, [{ symbol: 'AAPL', timestamp: '2099-06-01T15:00:00.000Z', price: 190 }], NOW);
    const [item] = await storedPredictions('ttl-bounded', 'AAPL');
    expect(RAW_TTL_MAX_AHEAD_DAYS).toBe(366);
    expect(item?.expiresAt).toBe(NOW_S + (366 + 30) * DAY_S);
    const price = await ctx.client.send(
      new QueryCommand({
        TableName: ctx.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': MarketKey.price('ttl-bounded', 'AAPL') },
      }),
    );
    expect(price.Items?.[0]?.expiresAt).toBe(NOW_S + (366 + 30) * DAY_S);
  });
});

describe('the symbol registry is written before the items', () => {
  it('registers the symbols in the first write, so a batch cut short is still found without `symbols`', async () => {
    const c = { ...ctx, namespace: 'registry-first' };
    const predictions = Array.from({ length: 100 }, (_, i) =>
      prediction({
        symbol: i % 2 === 0 ? 'NEWA' : 'NEWB',
        predictedAt: new Date(Date.parse('2026-11-24T10:00:00.000Z') + i * 60_000).toISOString(),
      }),
    );
    const realSend = DynamoDBDocumentClient.prototype.send as (command: unknown) => Promise<never>;
    const mock = mockClient(DynamoDBDocumentClient);
    const writtenPks: string[][] = [];
    mock
      .on(BatchWriteCommand)
      .callsFake(async (input: ConstructorParameters<typeof BatchWriteCommand>[0]) => {
        const requests = Object.values(input.RequestItems ?? {})[0] ?? [];
        writtenPks.push(requests.map((request) => String(request.PutRequest?.Item?.pk)));
        // The process dies (or the retries run out) after the registry and one batch of items.
        if (writtenPks.length === 3)
          throw awsError('ProvisionedThroughputExceededException', 'Rate exceeded');
        return realSend.call(c.client, new BatchWriteCommand(input));
      });
    try {
      await expect(putPredictions(c, predictions, NOW)).rejects.toThrow('Rate exceeded');
    } finally {
      mock.restore();
    }
    expect(writtenPks[0]).toEqual([MarketKey.symbols('registry-first'), MarketKey.symbols('registry-first')]);
    expect(await listSymbols(c)).toEqual(['NEWA', 'NEWB']);
    const partial =
      (await storedPredictions('registry-first', 'NEWA')).length +
      (await storedPredictions('registry-first', 'NEWB')).length;
    expect(partial).toBe(25);
    // The caller's retry completes the write; the registry write again changes nothing but lastSeen.
    await putPredictions(c, predictions, NOW);
    expect(await listSymbols(c)).toEqual(['NEWA', 'NEWB']);
    expect((await storedPredictions('registry-first', 'NEWA')).length).toBe(50);
    expect((await storedPredictions('registry-first', 'NEWB')).length).toBe(50);
  });
});
