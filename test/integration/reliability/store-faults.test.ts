/**
 * AWS faults under the real handlers on the embedded store: DynamoDB throttling (the SDK's own retries),
 * UnprocessedItems from BatchWriteItem (batchPutAll re-sends them), a write failing mid-batch (the retried
 * invocation completes it and nothing is counted twice), retries exhausted, and CloudWatch GetMetricData
 * failing (the optimizer keeps the last configuration).
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  commitSamplingConfig,
  getCurrentSamplingConfig,
  getLastSamplingRun,
  type StoreContext,
} from '../../../lambdas/shared/store';
import { DEFAULT_SAMPLING_CONFIG, type SamplingConfig } from '../../../layers/otel/src';
import { lambdaContext } from '../../../scripts/local/runtime';
import { countPages } from '../../support/count-pages';
import { awsError, settledWorkload, throttled, throttleOnWire } from '../../support/reliability-faults';
import {
  type AnyHandler,
  countItems,
  handlerIfPresent,
  memoryTelemetry,
  type ReliabilityStore,
  startReliabilityStore,
} from '../../support/reliability-store';

jest.setTimeout(60_000);

const NS = 'faults';
const MARKET = 'trading-observability-market';
let env: ReliabilityStore;
let tracker: AnyHandler;
let optimizer: AnyHandler;
let telemetry: ReturnType<typeof memoryTelemetry>;
/** The document client's real `send`, for fakes that pass some calls through to the store. */
const realSend = DynamoDBDocumentClient.prototype.send as (command: unknown) => Promise<never>;
const passThrough = (command: BatchWriteCommand | QueryCommand) => realSend.call(env.client, command);

type Result = { ok: boolean; recorded?: number; summary?: { overall: { n: number; pending: number } } };

const invokeTracker = (event: unknown, context = lambdaContext('dual-accuracy-tracker')) =>
  tracker(event, context) as Promise<Result>;

async function marketItems(prefix: string): Promise<number> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  return countPages((start) =>
    env.client.send(
      new ScanCommand({
        TableName: MARKET,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': prefix },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    ),
  );
}

beforeAll(async () => {
  env = await startReliabilityStore({
    DATA_NAMESPACE: NS,
    SAMPLING_METRICS_SOURCE: 'cloudwatch',
    MATCH_TOLERANCE_MINUTES: '60',
  });
  telemetry = memoryTelemetry();
  tracker = (await handlerIfPresent('dual-accuracy-tracker')) as AnyHandler;
  optimizer = (await handlerIfPresent('sampling-optimizer')) as AnyHandler;
});

afterAll(async () => {
  await env?.stop();
});

describe('DynamoDB throttling: the SDK retries (store clients: maxAttempts 6)', () => {
  it('configures the product store client with six attempts', async () => {
    expect(await env.client.config.maxAttempts()).toBe(6);
  });

  it('record_predictions succeeds after two throttled BatchWriteItem attempts, every item stored once', async () => {
    const { predictions } = settledWorkload(30, Date.now(), ['THRA', 'THRB']);
    const wire = throttleOnWire(env.client, 'BatchWriteItemCommand', 2);
    try {
      const result = await invokeTracker({ action: 'record_predictions', predictions });
      expect(result).toMatchObject({ ok: true, recorded: 30 });
      expect(wire.thrown).toBe(2);
      // Two batches (30 predictions, 25 per batch) + the symbol registry = 3 sends, two of them retried twice.
      expect(wire.attempts.BatchWriteItemCommand).toBe(3 + 2);
    } finally {
      wire.remove();
    }
    expect(await marketItems(`${NS}#PRED#THR`)).toBe(30);
  });

  it('validate_all succeeds when a Query is throttled once (ThrottlingException)', async () => {
    const wire = throttleOnWire(env.client, 'QueryCommand', 1, () =>
      awsError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.'),
    );
    try {
      const result = await invokeTracker({
        action: 'validate_all',
        lookback_days: 7,
        symbols: ['THRA', 'THRB'],
      });
      expect(result.ok).toBe(true);
      expect(result.summary?.overall.pending).toBe(30);
      expect(wire.thrown).toBe(1);
    } finally {
      wire.remove();
    }
  });

  it('when the throttling outlasts the retries, record_* fails loudly (Lambda retries it) and the span says so', async () => {
    const mock = mockClient(DynamoDBDocumentClient);
    mock.on(BatchWriteCommand).rejects(throttled());
    mock.on(QueryCommand).callsFake((input) => passThrough(new QueryCommand(input)));
    telemetry.spans.clear();
    try {
      await expect(
        invokeTracker({
          action: 'record_prices',
          prices: [{ symbol: 'THRC', timestamp: new Date().toISOString(), price: 1 }],
        }),
      ).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    } finally {
      mock.restore();
    }
    expect(await marketItems(`${NS}#PRICE#THRC`)).toBe(0);
    const exported = telemetry.spans.lines.join('\n');
    expect(exported).toContain('ProvisionedThroughputExceededException');
  });
});

describe('BatchWriteItem UnprocessedItems and a write failing mid-batch', () => {
  const workload = settledWorkload(120, Date.now(), ['UNPA', 'UNPB', 'UNPC']);

  it('re-sends UnprocessedItems until every item is written (once)', async () => {
    const mock = mockClient(DynamoDBDocumentClient);
    let partial = 0;
    mock
      .on(BatchWriteCommand)
      .callsFake(async (input: ConstructorParameters<typeof BatchWriteCommand>[0]) => {
        const [table, requests = []] = Object.entries(input.RequestItems ?? {})[0] ?? [MARKET, []];
        // Every first sight of a batch: only its first half is processed, the rest comes back unprocessed.
        if (requests.length > 1 && partial < 10) {
          partial += 1;
          const half = Math.ceil(requests.length / 2);
          await passThrough(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) } }));
          return { UnprocessedItems: { [table]: requests.slice(half) } };
        }
        return passThrough(new BatchWriteCommand(input));
      });
    mock.on(QueryCommand).callsFake((input) => passThrough(new QueryCommand(input)));
    try {
      const prices = await invokeTracker({ action: 'record_prices', prices: workload.prices });
      const predictions = await invokeTracker({
        action: 'record_predictions',
        predictions: workload.predictions,
      });
      expect(prices).toMatchObject({ ok: true, recorded: workload.prices.length });
      expect(predictions).toMatchObject({ ok: true, recorded: 120 });
      expect(partial).toBeGreaterThanOrEqual(5);
    } finally {
      mock.restore();
    }
    expect(await marketItems(`${NS}#PRED#UNP`)).toBe(120);
    expect(await marketItems(`${NS}#PRICE#UNP`)).toBe(workload.prices.length);
  });

  it('a failed write mid-batch leaves a partial write that the retried invocation completes; validate_all counts each once', async () => {
    const mid = settledWorkload(100, Date.now(), ['MIDA', 'MIDB']);
    await invokeTracker({ action: 'record_prices', prices: mid.prices });
    const context = lambdaContext('dual-accuracy-tracker');
    const mock = mockClient(DynamoDBDocumentClient);
    let batches = 0;
    mock
      .on(BatchWriteCommand)
      .callsFake(async (input: ConstructorParameters<typeof BatchWriteCommand>[0]) => {
        batches += 1;
        if (batches === 3) throw awsError('InternalServerError', 'Internal server error', 500);
        return passThrough(new BatchWriteCommand(input));
      });
    try {
      await expect(
        invokeTracker({ action: 'record_predictions', predictions: mid.predictions }, context),
      ).rejects.toThrow('Internal server error');
    } finally {
      mock.restore();
    }
    // The symbol registry (batch 1) and 25 predictions (batch 2) landed before the failure: a partial write,
    // as DynamoDB has no multi-batch transaction.
    expect(await marketItems(`${NS}#PRED#MID`)).toBe(25);
    // Lambda retries the same event with the same request id; deterministic keys make the retry complete it.
    expect(
      await invokeTracker({ action: 'record_predictions', predictions: mid.predictions }, context),
    ).toMatchObject({
      ok: true,
      recorded: 100,
    });
    expect(await invokeTracker({ action: 'record_predictions', predictions: mid.predictions })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(await marketItems(`${NS}#PRED#MID`)).toBe(100);
    const validated = await invokeTracker({
      action: 'validate_all',
      lookback_days: 7,
      symbols: ['MIDA', 'MIDB'],
    });
    expect(validated.summary?.overall).toMatchObject({ n: 100, pending: 0 });
  });
});

describe('CloudWatch GetMetricData failing: the optimizer keeps the last configuration', () => {
  const store = (): StoreContext => ({
    client: env.client,
    table: 'trading-observability-sampling',
    namespace: NS,
    rawTtlDays: 30,
  });
  const seeded: SamplingConfig = {
    ...DEFAULT_SAMPLING_CONFIG,
    version: 3,
    probabilities: { ...DEFAULT_SAMPLING_CONFIG.probabilities, trading: 0.4, noise: 0.02 },
    updatedAt: '2026-11-25T12:00:00.000Z',
    reason: 'seeded by the reliability test',
  };

  beforeAll(async () => {
    await commitSamplingConfig(store(), {
      version: 1,
      previousVersion: 0,
      config: { ...seeded, version: 1 },
      reason: 'v1',
      createdAt: '2026-11-25T11:00:00.000Z',
    });
    await commitSamplingConfig(store(), {
      version: 2,
      previousVersion: 1,
      config: { ...seeded, version: 2 },
      reason: 'v2',
      createdAt: '2026-11-25T11:30:00.000Z',
    });
    await commitSamplingConfig(store(), {
      version: 3,
      previousVersion: 2,
      config: seeded,
      reason: seeded.reason,
      createdAt: seeded.updatedAt,
    });
  });

  it.each([
    ['ThrottlingException', awsError('ThrottlingException', 'Rate exceeded')],
    [
      'AccessDenied',
      awsError('AccessDeniedException', 'not authorized to perform cloudwatch:GetMetricData', 403),
    ],
    ['a network error', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('optimize keeps version 3 when GetMetricData fails with %s', async (_label, error) => {
    const cloudWatch = mockClient(CloudWatchClient);
    cloudWatch.on(GetMetricDataCommand).rejects(error);
    const before = await getCurrentSamplingConfig(store());
    const items = await countItems(env.client);
    let result: Record<string, unknown>;
    try {
      result = (await optimizer(
        { action: 'optimize', scheduledTime: new Date().toISOString() },
        lambdaContext('sampling-optimizer'),
      )) as Record<string, unknown>;
    } finally {
      cloudWatch.restore();
    }
    expect(result).toMatchObject({ ok: true, changed: false, version: 3, previousVersion: 3 });
    expect(String(result.metricsError)).toContain(error.message);
    expect(String(result.reason)).toMatch(/kept version 3/);
    expect(await getCurrentSamplingConfig(store())).toEqual(before);
    // Only LAST_RUN may be (over)written: no new version.
    const after = await countItems(env.client);
    expect((after.sampling ?? 0) - (items.sampling ?? 0)).toBeLessThanOrEqual(1);
    expect((await getLastSamplingRun(store()))?.reason).toMatch(/could not be read/);
    const status = (await optimizer({ action: 'status' }, lambdaContext('sampling-optimizer'))) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({ ok: true, version: 3, probabilities: seeded.probabilities });
  });
});
