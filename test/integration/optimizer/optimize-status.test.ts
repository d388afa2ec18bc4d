/**
 * sampling-optimizer end to end on the embedded DynamoDB (dynalite) with a mocked CloudWatch: two runs store
 * versions 1 and 2, CURRENT points at 2, `status` and `history` show them, concurrent runs cannot both
 * bump the version (real condition expressions), and the layer's own loader reads what was written.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  createSamplingConfigSource,
  dynamoDbConfigLoader,
  initTelemetry,
  MemorySink,
} from '@trading-observability/otel';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { OptimizeResult, StatusResult } from '../../../lambdas/sampling-optimizer/service';
import { documentClient } from '../../../lambdas/shared/store';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../scripts/local/embedded-dynamo';
import { lambdaContext, loadHandler } from '../../../scripts/local/runtime';
import { metricDataAnswer } from '../../support/optimizer-fakes';
import { DEFAULTS, HEAVY, volumesAt } from '../../support/optimizer-workload';

jest.setTimeout(60_000);

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const cloudWatch = mockClient(CloudWatchClient);
let store: EmbeddedDynamo;
let handler: Handler;
const invoke = <T>(event: unknown) => handler(event, lambdaContext('sampling-optimizer')) as Promise<T>;

beforeAll(async () => {
  store = await startEmbeddedDynamo();
  Object.assign(process.env, store.env, {
    SAMPLING_METRICS_SOURCE: 'cloudwatch',
    // The layer's loader builds its own DynamoDB client: point it at the embedded store too.
    AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
  });
  initTelemetry({ spanSink: new MemorySink(), metricsSink: new MemorySink(), logSink: new MemorySink() });
  handler = await loadHandler('sampling-optimizer');
});

afterAll(async () => {
  cloudWatch.restore();
  await store?.stop();
});

describe('sampling-optimizer on the embedded store', () => {
  it('optimize twice: versions 1 and 2 stored, CURRENT at 2, status and history show them', async () => {
    // A data point at 14:00 lies in both scheduled windows ([13:45, 14:00) ends there; [14:00, 14:15) starts there).
    cloudWatch
      .on(GetMetricDataCommand)
      .resolves(metricDataAnswer(volumesAt(HEAVY, DEFAULTS), new Date('2026-11-25T14:00:00Z')));
    const first = await invoke<OptimizeResult>({ action: 'optimize', scheduledTime: '2026-11-25T14:00:00Z' });
    const second = await invoke<OptimizeResult>({
      action: 'optimize',
      scheduledTime: '2026-11-25T14:15:00Z',
    });
    expect(first).toMatchObject({ ok: true, changed: true, version: 1, previousVersion: 0 });
    expect(second).toMatchObject({ ok: true, changed: true, version: 2, previousVersion: 1 });
    expect(second.probabilities?.noise?.to).toBeLessThan(first.probabilities?.noise?.to ?? 1);

    const items = await documentClient(store.endpoint).send(
      new QueryCommand({
        TableName: store.env.SAMPLING_CONFIG_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SAMPLING_CONFIG' },
      }),
    );
    const keys = (items.Items ?? []).map((item) => `${item.sk}:${item.version ?? ''}`).sort();
    expect(keys).toEqual(['CURRENT:2', 'LAST_RUN:2', 'v#0000000001:1', 'v#0000000002:2']);

    const status = await invoke<StatusResult>({ action: 'status' });
    expect(status).toMatchObject({ ok: true, source: 'stored', version: 2, namespace: 'live' });
    expect(status.reason).toBe(second.reason);
    expect(status.projection?.budgetPerDay).toBe(60);
    expect(status.projection?.costPerDayUnsampled).toBeGreaterThan(400);
    expect(status.volumeReductionPct).toBeGreaterThan(60);
    const history = await invoke<{ ok: true; versions: Array<{ version: number }> }>({ action: 'history' });
    expect(history.versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('the layer loads version 2 from the same table and key', async () => {
    const source = createSamplingConfigSource({
      load: dynamoDbConfigLoader(store.env.SAMPLING_CONFIG_TABLE as string),
      timeoutMs: 5_000,
    });
    await source.refresh(true);
    expect(source.status()).toMatchObject({ source: 'loaded', lastError: null, warnings: [] });
    const status = await invoke<StatusResult>({ action: 'status' });
    expect(source.get().version).toBe(2);
    expect(source.get().probabilities).toEqual(status.probabilities);
  });

  it('two concurrent runs against real condition expressions: one commits version 3, the other reports a conflict', async () => {
    const runs = await Promise.all([
      invoke<OptimizeResult>({ action: 'optimize', asOf: '2026-11-25T14:15:00Z' }),
      invoke<OptimizeResult>({ action: 'optimize', asOf: '2026-11-25T14:15:00Z' }),
    ]);
    const committed = runs.filter((r) => r.changed);
    expect(committed).toHaveLength(1);
    expect(committed[0]?.version).toBe(3);
    expect(runs.filter((r) => r.conflict)).toHaveLength(1);
    const status = await invoke<StatusResult>({ action: 'status' });
    expect(status.version).toBe(3);
  });
});
