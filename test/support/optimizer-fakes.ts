/** Test doubles for the optimizer: an in-memory sampling table behind a mocked document client, and GetMetricData answers. */
import type { GetMetricDataCommandOutput, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { SAMPLING_CATEGORIES } from '@trading-observability/otel';
import { mockClient } from 'aws-sdk-client-mock';
import type { WindowVolumes } from '../../lambdas/sampling-optimizer/optimizer';
import { VOLUME_FIELDS } from '../../lambdas/sampling-optimizer/volumes';

type Item = Record<string, unknown>;

export class ConditionalCheckFailed extends Error {
  constructor() {
    super('The conditional request failed');
    this.name = 'ConditionalCheckFailedException';
  }
}

/**
 * A table that understands exactly the sampling store's requests: Query on `pk = :pk AND sk = :sk` or
 * `begins_with(sk, :prefix)`, and PutItem with `attribute_not_exists(pk)` [`OR #version = :previous`].
 */
export class FakeTable {
  readonly items = new Map<string, Item>();
  readonly client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  readonly mock = mockClient(this.client);
  puts = 0;
  /** Set to make the next request fail (once). */
  failNext: Error | undefined;

  constructor() {
    this.mock.on(PutCommand).callsFake((input: PutCommandInput) => this.put(input));
    this.mock.on(QueryCommand).callsFake((input: QueryCommandInput) => this.query(input));
  }

  private takeFailure(): void {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }

  private put(input: PutCommandInput) {
    this.takeFailure();
    const item = structuredClone(input.Item ?? {}) as Item;
    const key = `${String(item.pk)}|${String(item.sk)}`;
    const existing = this.items.get(key);
    const condition = input.ConditionExpression;
    if (condition) {
      const notExists = existing === undefined;
      const versionMatches =
        condition.includes('#version = :previous') &&
        existing?.version === input.ExpressionAttributeValues?.[':previous'];
      if (!(notExists || versionMatches)) throw new ConditionalCheckFailed();
    }
    this.items.set(key, item);
    this.puts += 1;
    return {};
  }

  private query(input: QueryCommandInput) {
    this.takeFailure();
    const values = input.ExpressionAttributeValues ?? {};
    let rows = [...this.items.values()].filter((item) => item.pk === values[':pk']);
    if (values[':sk'] !== undefined) rows = rows.filter((item) => item.sk === values[':sk']);
    if (values[':prefix'] !== undefined)
      rows = rows.filter((item) => String(item.sk).startsWith(String(values[':prefix'])));
    rows.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
    if (input.ScanIndexForward === false) rows.reverse();
    if (input.Limit !== undefined) rows = rows.slice(0, input.Limit);
    return { Items: structuredClone(rows) };
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}|${sk}`);
  }
}

/** A GetMetricData answer for these volumes (one data point per series at `at`) and accuracy figures. */
export function metricDataAnswer(
  volumes: WindowVolumes,
  at: Date,
  accuracy: { alert?: number; upperBoundPct?: number } = {},
): GetMetricDataCommandOutput {
  const results: MetricDataResult[] = [];
  SAMPLING_CATEGORIES.forEach((category, c) => {
    VOLUME_FIELDS.forEach(([field], m) => {
      const value = volumes[category]?.[field];
      results.push({
        Id: `v${c}_${m}`,
        StatusCode: 'Complete',
        Timestamps: value === undefined ? [] : [at],
        Values: value === undefined ? [] : [value],
      });
    });
  });
  results.push({
    Id: 'acc_alert',
    StatusCode: 'Complete',
    Timestamps: accuracy.alert === undefined ? [] : [at],
    Values: accuracy.alert === undefined ? [] : [accuracy.alert],
  });
  results.push({
    Id: 'acc_upper',
    StatusCode: 'Complete',
    Timestamps: accuracy.upperBoundPct === undefined ? [] : [at],
    Values: accuracy.upperBoundPct === undefined ? [] : [accuracy.upperBoundPct],
  });
  return { MetricDataResults: results, $metadata: {} };
}
