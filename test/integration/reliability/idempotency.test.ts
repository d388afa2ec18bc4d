/**
 * Retried Lambda invocations of the writing actions: the same event with the same request id (as Lambda's
 * own retries and the Scheduler's redeliveries send it) writes once. Counted on the embedded store.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_SAMPLING_CONFIG, SAMPLING_CATEGORIES } from '../../../layers/otel/src';
import { lambdaContext } from '../../../scripts/local/runtime';
import { settledWorkload } from '../../support/reliability-faults';
import {
  type AnyHandler,
  countItems,
  handlerIfPresent,
  memoryTelemetry,
  type ReliabilityStore,
  startReliabilityStore,
} from '../../support/reliability-store';

jest.setTimeout(60_000);

const NS = 'idem';
let env: ReliabilityStore;
let tracker: AnyHandler;
let trading: AnyHandler;
let optimizer: AnyHandler;

async function itemsWithPrefix(table: string, prefix: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await env.client.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Invokes twice with one Lambda context (one request id), as a retried invocation arrives. */
async function twice(handler: AnyHandler, fn: string, event: unknown) {
  const context = lambdaContext(fn);
  const before = await countItems(env.client);
  const first = await handler(structuredClone(event), context);
  const afterFirst = await countItems(env.client);
  const second = await handler(structuredClone(event), context);
  const afterSecond = await countItems(env.client);
  return { first, second, before, afterFirst, afterSecond };
}

beforeAll(async () => {
  env = await startReliabilityStore({ DATA_NAMESPACE: NS, SAMPLING_METRICS_SOURCE: 'cloudwatch' });
  memoryTelemetry();
  tracker = (await handlerIfPresent('dual-accuracy-tracker')) as AnyHandler;
  trading = (await handlerIfPresent('trading-intelligence')) as AnyHandler;
  optimizer = (await handlerIfPresent('sampling-optimizer')) as AnyHandler;
});

afterAll(async () => {
  await env?.stop();
});

describe('the same request twice writes once', () => {
  const workload = settledWorkload(90, Date.now(), ['IDMA', 'IDMB', 'IDMC']);

  it('record_prices: the retry overwrites its own items', async () => {
    const run = await twice(tracker, 'dual-accuracy-tracker', {
      action: 'record_prices',
      prices: workload.prices,
    });
    expect(run.first).toMatchObject({ ok: true, recorded: workload.prices.length });
    expect(run.second).toEqual(run.first);
    // Prices plus three registry entries, then nothing more.
    expect(run.afterFirst.market).toBe((run.before.market ?? 0) + workload.prices.length + 3);
    expect(run.afterSecond).toEqual(run.afterFirst);
  });

  it('record_predictions: deterministic keys, no second copy', async () => {
    const run = await twice(tracker, 'dual-accuracy-tracker', {
      action: 'record_predictions',
      predictions: workload.predictions,
    });
    expect(run.first).toMatchObject({ ok: true, recorded: 90 });
    expect(run.afterFirst.market).toBe((run.before.market ?? 0) + 90);
    expect(run.afterSecond).toEqual(run.afterFirst);
  });

  it('validate_all: one summary per request id, validations written once, n unchanged', async () => {
    const run = await twice(tracker, 'dual-accuracy-tracker', { action: 'validate_all', lookback_days: 7 });
    const first = run.first as {
      ok: boolean;
      summaryId: string;
      summary: { overall: { n: number; pending: number } };
    };
    const second = run.second as typeof first;
    expect(first.summary.overall).toMatchObject({ n: 90, pending: 0 });
    expect(second.summary.overall).toMatchObject({ n: 90, pending: 0 });
    expect(second.summaryId).toBe(first.summaryId);
    // 90 validation items and one summary, then nothing more.
    expect(run.afterFirst.market).toBe((run.before.market ?? 0) + 90 + 1);
    expect(run.afterSecond).toEqual(run.afterFirst);
    const summaries = await itemsWithPrefix('trading-observability-market', `${NS}#SUMMARY`);
    expect(summaries.filter((item) => item.summaryId === first.summaryId)).toHaveLength(1);
    // A new invocation (another request id) is a new summary: retries are told apart from new runs.
    await tracker({ action: 'validate_all', lookback_days: 7 }, lambdaContext('dual-accuracy-tracker'));
    expect(await itemsWithPrefix('trading-observability-market', `${NS}#SUMMARY`)).toHaveLength(2);
  });

  it('scheduled_rankings: the ranking is keyed by the scheduled time', async () => {
    // Tuesday 2026-11-24 10:00 ET, inside the regular session.
    const run = await twice(trading, 'trading-intelligence', {
      action: 'scheduled_rankings',
      scheduledTime: '2026-11-24T15:00:00Z',
    });
    expect(run.first).toMatchObject({ ok: true, skipped: false });
    expect(run.afterFirst.rankings).toBe((run.before.rankings ?? 0) + 1);
    expect(run.afterSecond).toEqual(run.afterFirst);
  });

  it('analyze with asOf: one ranking per asOf', async () => {
    const run = await twice(trading, 'trading-intelligence', {
      action: 'analyze',
      asOf: '2026-11-24T16:00:00Z',
    });
    expect(run.first).toMatchObject({ ok: true });
    expect(run.afterFirst.rankings).toBe((run.before.rankings ?? 0) + 1);
    expect(run.afterSecond).toEqual(run.afterFirst);
  });

  it('optimize for one scheduled time commits one version, however often it is delivered', async () => {
    // Far over budget in every category: the optimizer must lower the probabilities (a new version).
    const cloudWatch = mockClient(CloudWatchClient);
    cloudWatch.on(GetMetricDataCommand).resolves({
      // Exported at the default probabilities (the sampler applies them), started far above the budget.
      MetricDataResults: SAMPLING_CATEGORIES.flatMap((category, c) => {
        const p = DEFAULT_SAMPLING_CONFIG.probabilities[category];
        return [2e6, 2e6 * p, 5e9, 5e9 * p].map((value, m) => ({ Id: `v${c}_${m}`, Values: [value] }));
      }),
    });
    try {
      const event = { action: 'optimize', scheduledTime: '2026-11-25T14:00:00Z' };
      const run = await twice(optimizer, 'sampling-optimizer', event);
      expect(run.first).toMatchObject({ ok: true, changed: true, version: 1, previousVersion: 0 });
      expect(run.second).toMatchObject({ ok: true, changed: false, version: 1 });
      expect(String((run.second as { reason: string }).reason)).toMatch(/Already optimized/);
      // CURRENT + v#1 + LAST_RUN, then nothing more.
      expect(run.afterFirst.sampling).toBe((run.before.sampling ?? 0) + 3);
      expect(run.afterSecond).toEqual(run.afterFirst);
      // A redelivery with another request id (the Scheduler's retry) is recognised the same way.
      const third = await optimizer(structuredClone(event), lambdaContext('sampling-optimizer'));
      expect(third).toMatchObject({ ok: true, changed: false, version: 1 });
    } finally {
      cloudWatch.restore();
    }
  });
});
