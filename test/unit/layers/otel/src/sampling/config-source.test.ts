import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { diag } from '@opentelemetry/api';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createSamplingConfigSource,
  DEFAULT_SAMPLING_CONFIG,
  normalizeSamplingConfig,
  SAMPLING_CATEGORIES,
} from '../../../../../../layers/otel/src/sampling';

const stored = {
  version: 7,
  probabilities: { trading: 0.8, ml_validation: 0.4, market_data: 0.05, invocation: 0.2, noise: 0.01 },
  highValueScore: 75,
  highValueNotional: 500_000,
  updatedAt: '2026-11-25T13:00:00.000Z',
  reason: 'projected $72/day > $60 budget: lowered market_data and noise',
};

beforeEach(() => {
  jest.spyOn(diag, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('DEFAULT_SAMPLING_CONFIG', () => {
  it('is version 0 and already cuts volume in every category', () => {
    expect(DEFAULT_SAMPLING_CONFIG.version).toBe(0);
    expect(DEFAULT_SAMPLING_CONFIG.probabilities).toEqual({
      trading: 0.5,
      ml_validation: 0.25,
      market_data: 0.1,
      invocation: 0.25,
      noise: 0.05,
    });
    expect(DEFAULT_SAMPLING_CONFIG.highValueScore).toBe(70);
    expect(DEFAULT_SAMPLING_CONFIG.highValueNotional).toBe(1_000_000);
  });
});

describe('normalizeSamplingConfig', () => {
  it('accepts a valid configuration as is, also as JSON text', () => {
    expect(normalizeSamplingConfig(stored)).toEqual({ config: stored, warnings: [] });
    expect(normalizeSamplingConfig(JSON.stringify(stored))).toEqual({ config: stored, warnings: [] });
  });

  it('clamps, defaults and warns field by field', () => {
    const { config, warnings } = normalizeSamplingConfig({
      version: -3,
      probabilities: { trading: 1.5, ml_validation: -1, market_data: 'x', noise: Number.NaN },
      highValueScore: 140,
      highValueNotional: 0,
    });
    expect(config.probabilities).toEqual({
      trading: 1,
      ml_validation: 0,
      market_data: DEFAULT_SAMPLING_CONFIG.probabilities.market_data,
      invocation: DEFAULT_SAMPLING_CONFIG.probabilities.invocation,
      noise: DEFAULT_SAMPLING_CONFIG.probabilities.noise,
    });
    expect(config.version).toBe(0);
    expect(config.highValueScore).toBe(70);
    expect(config.highValueNotional).toBe(1_000_000);
    expect(warnings).toHaveLength(8);
    expect(warnings.join('\n')).toMatch(/trading 1.5 is above 1/);
    expect(warnings.join('\n')).toMatch(/invocation is missing/);
  });

  it.each([null, 42, '{not json', []])('falls back to the defaults for %p', (raw) => {
    const { config, warnings } = normalizeSamplingConfig(raw);
    expect(config).toBe(DEFAULT_SAMPLING_CONFIG);
    expect(warnings).toHaveLength(1);
  });
});

describe('createSamplingConfigSource', () => {
  it('serves the defaults until a load succeeds, then the loaded configuration', async () => {
    let now = 0;
    const load = jest.fn(async () => stored);
    const source = createSamplingConfigSource({ load, now: () => now });
    expect(source.get()).toBe(DEFAULT_SAMPLING_CONFIG);
    expect(source.isStale()).toBe(true);
    await source.refresh();
    expect(source.get()).toEqual(stored);
    expect(source.status()).toMatchObject({ source: 'loaded', loadedAt: 0, lastError: null });
    now = 59_999;
    await source.refresh();
    expect(load).toHaveBeenCalledTimes(1); // fresh for 60 s
    now = 60_000;
    await source.refresh();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps the last good configuration when a load fails, and says why', async () => {
    let now = 0;
    let fail = false;
    const source = createSamplingConfigSource({
      now: () => now,
      load: async () => {
        if (fail) throw new Error('AccessDenied');
        return stored;
      },
    });
    await source.refresh();
    fail = true;
    now = 61_000;
    await expect(source.refresh()).resolves.toBeUndefined();
    expect(source.get()).toEqual(stored);
    expect(source.status().lastError).toMatch(/AccessDenied.*keeping version 7/);
    // A failed attempt is not retried on every invocation.
    expect(source.isStale()).toBe(false);
  });

  it('bounds a slow load and keeps the defaults', async () => {
    const source = createSamplingConfigSource({
      timeoutMs: 20,
      load: () => new Promise((resolve) => setTimeout(() => resolve(stored), 1_000).unref()),
    });
    const started = Date.now();
    await source.refresh();
    expect(Date.now() - started).toBeLessThan(900);
    expect(source.get()).toBe(DEFAULT_SAMPLING_CONFIG);
    expect(source.status().lastError).toMatch(/timed out after 20 ms/);
  });

  it('shares one load between concurrent refreshes', async () => {
    const load = jest.fn(async () => stored);
    const source = createSamplingConfigSource({ load });
    await Promise.all([source.refresh(), source.refresh(), source.refresh()]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps the current configuration when nothing is stored yet', async () => {
    const source = createSamplingConfigSource({ load: async () => undefined });
    await source.refresh();
    expect(source.get()).toBe(DEFAULT_SAMPLING_CONFIG);
    expect(source.status().lastError).toMatch(/no sampling configuration stored/);
  });

  it('serves defaults without a table and says so', async () => {
    const source = createSamplingConfigSource();
    await source.refresh();
    expect(source.get()).toBe(DEFAULT_SAMPLING_CONFIG);
    expect(source.status()).toMatchObject({
      source: 'defaults',
      lastError: expect.stringMatching(/no sampling/),
    });
  });
});

describe('the DynamoDB loader through the SDK (the fallback without credentials in the environment)', () => {
  const dynamo = mockClient(DynamoDBClient);
  // With credentials in the environment (Lambda) the layer signs its own GetItem (tested against the
  // embedded DynamoDB in test/integration/layers/otel/src/sampling/config-source.test.ts).
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  beforeEach(() => {
    delete process.env.AWS_ACCESS_KEY_ID;
  });
  afterEach(() => {
    process.env.AWS_ACCESS_KEY_ID = accessKeyId;
    dynamo.reset();
  });

  it('reads pk=SAMPLING_CONFIG, sk=CURRENT and unmarshalls a map attribute', async () => {
    dynamo.on(GetItemCommand).resolves({
      Item: {
        pk: { S: 'SAMPLING_CONFIG' },
        sk: { S: 'CURRENT' },
        config: {
          M: {
            version: { N: '7' },
            probabilities: {
              M: Object.fromEntries(
                SAMPLING_CATEGORIES.map((category) => [
                  category,
                  { N: String(stored.probabilities[category]) },
                ]),
              ),
            },
            highValueScore: { N: '75' },
            highValueNotional: { N: '500000' },
            updatedAt: { S: stored.updatedAt },
            reason: { S: stored.reason },
          },
        },
      },
    });
    const source = createSamplingConfigSource({ tableName: 'observability' });
    await source.refresh();
    expect(source.get()).toEqual(stored);
    const call = dynamo.commandCalls(GetItemCommand)[0];
    expect(call?.args[0].input).toMatchObject({
      TableName: 'observability',
      Key: { pk: { S: 'SAMPLING_CONFIG' }, sk: { S: 'CURRENT' } },
    });
  });

  it('reads a JSON string attribute too, and survives a throttle', async () => {
    dynamo.on(GetItemCommand).resolvesOnce({ Item: { config: { S: JSON.stringify(stored) } } });
    let now = 0;
    const source = createSamplingConfigSource({ tableName: 'observability', now: () => now });
    await source.refresh();
    expect(source.get().version).toBe(7);
    dynamo.on(GetItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    now = 120_000;
    await source.refresh();
    expect(source.get().version).toBe(7);
    expect(source.status().lastError).toMatch(/ProvisionedThroughputExceeded/);
  });
});
