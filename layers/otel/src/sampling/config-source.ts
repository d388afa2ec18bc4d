import type { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { diag } from '@opentelemetry/api';
import { AwsJsonService, awsJsonRequest, credentialsFromEnv } from '../aws-json-request';
import { TelemetryError, TelemetryErrorCode } from '../errors';
import { normalizeProbability } from './consistent-probability';
import { SAMPLING_CATEGORIES, SamplingCategory, type SamplingConfig } from './types';

/**
 * Defaults (version 0) that already cut volume when the optimizer has never run or DynamoDB is out of
 * reach: noise is nearly all dropped, trading decisions keep half. Errors and high-value spans are
 * exported regardless (see `selectForExport`).
 */
export const DEFAULT_SAMPLING_CONFIG: SamplingConfig = Object.freeze({
  version: 0,
  probabilities: Object.freeze({
    [SamplingCategory.TRADING]: 0.5,
    [SamplingCategory.ML_VALIDATION]: 0.25,
    [SamplingCategory.MARKET_DATA]: 0.1,
    [SamplingCategory.INVOCATION]: 0.25,
    [SamplingCategory.NOISE]: 0.05,
  }),
  highValueScore: 70,
  highValueNotional: 1_000_000,
  updatedAt: '1970-01-01T00:00:00.000Z',
  reason: 'built-in defaults',
});

/** Where the optimizer keeps the current configuration (single-table design). */
export const SAMPLING_CONFIG_KEY = { pk: 'SAMPLING_CONFIG', sk: 'CURRENT' } as const;
export const SAMPLING_CONFIG_ATTRIBUTE = 'config';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a configuration read from storage. Never throws: every bad or missing field falls back to
 * its default with a warning (a JSON string is parsed first).
 */
export function normalizeSamplingConfig(raw: unknown): { config: SamplingConfig; warnings: string[] } {
  const warnings: string[] = [];
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      warnings.push('sampling configuration is not valid JSON; using defaults');
      return { config: DEFAULT_SAMPLING_CONFIG, warnings };
    }
  }
  if (!isRecord(value)) {
    warnings.push(
      `sampling configuration is ${value === null ? 'null' : typeof value}, not an object; using defaults`,
    );
    return { config: DEFAULT_SAMPLING_CONFIG, warnings };
  }
  const defaults = DEFAULT_SAMPLING_CONFIG;
  const rawProbabilities = isRecord(value.probabilities) ? value.probabilities : undefined;
  if (!rawProbabilities) warnings.push('sampling configuration has no probabilities; using the defaults');
  const probabilities = {} as Record<SamplingCategory, number>;
  for (const category of SAMPLING_CATEGORIES) {
    const fallback = defaults.probabilities[category];
    const given = rawProbabilities?.[category];
    if (given === undefined) {
      if (rawProbabilities)
        warnings.push(`sampling probability of ${category} is missing; using ${fallback}`);
      probabilities[category] = fallback;
      continue;
    }
    const normalized = normalizeProbability(given, fallback, `sampling probability of ${category}`);
    if (normalized.warning) warnings.push(normalized.warning);
    probabilities[category] = normalized.probability;
  }

  const version = value.version;
  const validVersion = typeof version === 'number' && Number.isSafeInteger(version) && version >= 0;
  if (!validVersion) warnings.push(`sampling configuration version ${String(version)} is invalid; using 0`);
  const score = value.highValueScore;
  const validScore = typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 100;
  if (score !== undefined && !validScore) {
    warnings.push(`highValueScore ${String(score)} is not in [0, 100]; using ${defaults.highValueScore}`);
  }
  const notional = value.highValueNotional;
  const validNotional = typeof notional === 'number' && Number.isFinite(notional) && notional > 0;
  if (notional !== undefined && !validNotional) {
    warnings.push(
      `highValueNotional ${String(notional)} is not a positive number; using ${defaults.highValueNotional}`,
    );
  }
  const config: SamplingConfig = {
    version: validVersion ? version : 0,
    probabilities,
    highValueScore: validScore ? score : defaults.highValueScore,
    highValueNotional: validNotional ? notional : defaults.highValueNotional,
    updatedAt: typeof value.updatedAt === 'string' ? value.updatedAt : defaults.updatedAt,
    reason: typeof value.reason === 'string' ? value.reason : '',
  };
  return { config, warnings };
}

export interface SamplingConfigSourceOptions {
  /** The DynamoDB table holding `pk=SAMPLING_CONFIG, sk=CURRENT`; without it (and `load`) defaults are used. */
  readonly tableName?: string;
  /** How long a loaded configuration is fresh (the spec: ≤ 60 s). */
  readonly ttlMs?: number;
  /**
   * Reads the raw configuration (`undefined`: none stored); `signal` aborts at `timeoutMs`. Defaults to a
   * DynamoDB GetItem on `tableName`.
   */
  readonly load?: (signal: AbortSignal) => Promise<unknown>;
  /** Upper bound of one refresh; past it the last good configuration stays. */
  readonly timeoutMs?: number;
  /** Clock (tests). */
  readonly now?: () => number;
}

export interface SamplingConfigStatus {
  readonly source: 'defaults' | 'loaded';
  /** When the current configuration was read (epoch ms), or null for the defaults. */
  readonly loadedAt: number | null;
  /** When the last refresh attempt ended (epoch ms), or null before the first. */
  readonly lastAttemptAt: number | null;
  /** Why the last refresh did not change the configuration, if it did not. */
  readonly lastError: string | null;
  /** Normalisation warnings of the current configuration. */
  readonly warnings: readonly string[];
}

export interface SamplingConfigSource {
  /** The current configuration: the cached one, or the defaults. Synchronous (the sampler calls it per span). */
  get(): SamplingConfig;
  /** True when the configuration is older than the TTL (or never loaded). */
  isStale(): boolean;
  /**
   * Reloads when stale (or `force`). Bounded by `timeoutMs`; never throws: on failure the last good
   * configuration (or the defaults) stays and `status().lastError` says why. Concurrent calls share one load.
   */
  refresh(force?: boolean): Promise<void>;
  status(): SamplingConfigStatus;
}

// Without credentials in the environment (a local run with a profile), the runtime's SDK reads the item.
// Its client lives at module scope, created on first use: the layer bundle must not contain @aws-sdk, so the
// module is required lazily, by a name the bundler does not follow.
const DYNAMODB_MODULE = '@aws-sdk/client-dynamodb';
type DynamoDbModule = { DynamoDBClient: typeof DynamoDBClient; GetItemCommand: typeof GetItemCommand };
let dynamoDb: { client: DynamoDBClient; module: DynamoDbModule } | undefined;

function dynamoDbClient(): { client: DynamoDBClient; module: DynamoDbModule } {
  if (!dynamoDb) {
    const module = require(DYNAMODB_MODULE) as DynamoDbModule;
    dynamoDb = { client: new module.DynamoDBClient({}), module };
  }
  return dynamoDb;
}

type GetItemOutput = { Item?: Record<string, AttributeValueLike> };

function getItemInput(tableName: string) {
  return {
    TableName: tableName,
    Key: { pk: { S: SAMPLING_CONFIG_KEY.pk }, sk: { S: SAMPLING_CONFIG_KEY.sk } },
    ProjectionExpression: '#config',
    ExpressionAttributeNames: { '#config': SAMPLING_CONFIG_ATTRIBUTE },
  };
}

/**
 * One GetItem: signed by the layer (aws-json-request.ts) when the environment holds credentials and a
 * region, as in Lambda, so no SDK client is loaded for it; else through the runtime's SDK.
 */
async function getConfigItem(tableName: string, signal: AbortSignal | undefined): Promise<GetItemOutput> {
  const credentials = credentialsFromEnv();
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (credentials && region) {
    return awsJsonRequest<GetItemOutput>({
      service: AwsJsonService.DYNAMODB,
      operation: 'GetItem',
      input: getItemInput(tableName),
      credentials,
      region,
      signal: signal ?? new AbortController().signal,
    });
  }
  const { client, module } = dynamoDbClient();
  const output = await client.send(
    new module.GetItemCommand(getItemInput(tableName)),
    signal ? { abortSignal: signal } : {},
  );
  return output as GetItemOutput;
}

/** Reads `config` (a map or a JSON string) of the current configuration item; `undefined` when absent. */
export function dynamoDbConfigLoader(tableName: string): (signal?: AbortSignal) => Promise<unknown> {
  return async (signal) => {
    const response = await getConfigItem(tableName, signal);
    const attribute = response.Item?.[SAMPLING_CONFIG_ATTRIBUTE];
    if (!attribute) return undefined;
    if (attribute.S !== undefined) return attribute.S;
    if (attribute.M !== undefined) return fromAttributeMap(attribute.M);
    throw new TelemetryError(
      TelemetryErrorCode.SAMPLING_CONFIG_UNREADABLE,
      `attribute "${SAMPLING_CONFIG_ATTRIBUTE}" is neither a map nor a string`,
    );
  };
}

type AttributeValueLike = {
  S?: string;
  N?: string;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValueLike>;
  L?: AttributeValueLike[];
};

/** A minimal unmarshall (S, N, BOOL, NULL, M, L) so @aws-sdk/util-dynamodb is not needed in the layer. */
export function fromAttributeValue(value: AttributeValueLike): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.M !== undefined) return fromAttributeMap(value.M);
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  return undefined;
}

function fromAttributeMap(map: Record<string, AttributeValueLike>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(map)) out[key] = fromAttributeValue(item);
  return out;
}

/** Runs `load` with a signal that aborts at `timeoutMs`; rejects then even if the loader ignores the signal. */
function withTimeout<T>(load: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`sampling configuration read timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref?.();
  });
  return Promise.race([load(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

export function createSamplingConfigSource(options: SamplingConfigSourceOptions = {}): SamplingConfigSource {
  const ttlMs = options.ttlMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 1_000;
  const now = options.now ?? Date.now;
  const load = options.load ?? (options.tableName ? dynamoDbConfigLoader(options.tableName) : undefined);

  let current: SamplingConfig = DEFAULT_SAMPLING_CONFIG;
  let source: SamplingConfigStatus['source'] = 'defaults';
  let loadedAt: number | null = null;
  let lastAttemptAt: number | null = null;
  let lastError: string | null = load ? null : 'no sampling configuration table configured; using defaults';
  let warnings: readonly string[] = [];
  let inFlight: Promise<void> | undefined;

  // Failed attempts count as fresh too, so an unreachable table costs one bounded read per TTL, not per call.
  const isStale = () => lastAttemptAt === null || now() - lastAttemptAt >= ttlMs;

  async function reload(loader: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    try {
      const raw = await withTimeout(loader, timeoutMs);
      if (raw === undefined || raw === null) {
        lastError = 'no sampling configuration stored yet; keeping the current one';
        return;
      }
      const normalized = normalizeSamplingConfig(raw);
      current = normalized.config;
      warnings = normalized.warnings;
      source = 'loaded';
      loadedAt = now();
      lastError = null;
      for (const warning of normalized.warnings) diag.warn(warning);
    } catch (error) {
      lastError = `sampling configuration read failed: ${(error as Error).message}; keeping version ${current.version}`;
      diag.warn(lastError);
    } finally {
      lastAttemptAt = now();
    }
  }

  return {
    get: () => current,
    isStale,
    refresh(force = false) {
      if (!load) return Promise.resolve();
      if (inFlight) return inFlight;
      if (!force && !isStale()) return Promise.resolve();
      inFlight = reload(load).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    status: () => ({ source, loadedAt, lastAttemptAt, lastError, warnings }),
  };
}
