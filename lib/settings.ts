import type { Construct } from 'constructs';
import { WatchlistDefaults } from '../lambdas/shared/config';
import { StackError, StackErrorCode } from './errors';

/** Stack settings from CDK context (cdk.json or `-c key=value`), read in one place. */
export interface StackSettings {
  /** Prefix for deployed function names. */
  readonly namePrefix: string;
  readonly environment: string;
  readonly serviceName: string;
  readonly signozEndpoint: string;
  /** Name of the Secrets Manager secret that holds the SigNoz ingestion key. */
  readonly signozSecretName: string;
  /** Base URL of the SigNoz workspace's API (ingestion-key rotation), e.g. https://<tenant>.us.signoz.cloud. */
  readonly signozApiUrl: string | undefined;
  /** Name of the secret that holds a SigNoz API key (Editor or Admin) for the rotation. */
  readonly signozApiKeySecretName: string;
  /** HTTPS endpoint for critical pages (e.g. a PagerDuty CloudWatch integration URL). */
  readonly pagerUrl: string | undefined;
  /** E-mail addresses for warnings. */
  readonly warningEmails: readonly string[];
  readonly tracingBudgetPerDay: number;
  readonly metricSymbolWatchlist: readonly string[];
  /**
   * Reserved concurrency per function (base name); a function not named draws from the account's unreserved
   * pool. A reservation is a guarantee and a cap at once. @default RESERVED_CONCURRENCY_DEFAULTS
   */
  readonly reservedConcurrency: Readonly<Record<string, number>>;
  /** Models with their own metrics (dashboard); every model pages through the alerting counts. */
  readonly metricModelWatchlist: readonly string[];
}

/**
 * The demo (5-minute runs, one story at a time) is capped so it cannot take the account's pool from the
 * functions that serve callers and feed the alarms; the optimizer (scheduled, a few seconds a run) is
 * guaranteed its runs, so cost control keeps working when the pool is exhausted. The tracker and
 * trading-intelligence serve callers and stay unreserved: a reservation would also cap them.
 */
export const RESERVED_CONCURRENCY_DEFAULTS: Readonly<Record<string, number>> = {
  'observability-demo': 1,
  'sampling-optimizer': 2,
};

/** Lambda keeps this much of an account's concurrency unreserved (a deployment reserving more fails). */
export const MIN_UNRESERVED_CONCURRENCY = 100;
/** The default regional concurrency quota of an AWS account. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

/** Context keys read here (`-c key=value`). */
export const SettingsContext = {
  SIGNOZ_ENDPOINT: 'signozEndpoint',
  /** `true` allows an `http://` SigNoz endpoint (the ingestion key would travel in clear). */
  ALLOW_INSECURE_SIGNOZ_ENDPOINT: 'allowInsecureSignozEndpoint',
  /** A JSON object of function name → reserved concurrency, or `off` for none. */
  RESERVED_CONCURRENCY: 'reservedConcurrency',
  /** The account's concurrency quota, to check reservations against. @default 1000 */
  ACCOUNT_CONCURRENCY: 'accountConcurrencyLimit',
} as const;

function text(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  const asText = String(value).trim();
  return asText === '' ? undefined : asText;
}

function list(scope: Construct, key: string): string[] {
  const value: unknown = scope.node.tryGetContext(key);
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  return (text(scope, key) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * The SigNoz OTLP endpoint: HTTPS, since every export carries the ingestion key in a header; `http://` only
 * with the explicit context flag (e.g. a collector on a private network, knowingly).
 */
function signozEndpoint(scope: Construct): string {
  const raw = text(scope, SettingsContext.SIGNOZ_ENDPOINT) ?? 'https://ingest.us.signoz.cloud:443';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new StackError(
      StackErrorCode.INVALID_SETTING,
      `context ${SettingsContext.SIGNOZ_ENDPOINT} "${raw}" is not a URL`,
    );
  }
  if (url.protocol === 'https:') return raw;
  if (url.protocol === 'http:' && text(scope, SettingsContext.ALLOW_INSECURE_SIGNOZ_ENDPOINT) === 'true')
    return raw;
  throw new StackError(
    StackErrorCode.INVALID_SETTING,
    `context ${SettingsContext.SIGNOZ_ENDPOINT} "${raw}" is not HTTPS: the ingestion key would travel in clear. ` +
      `Use https://, or deploy with -c ${SettingsContext.ALLOW_INSECURE_SIGNOZ_ENDPOINT}=true if that is intended.`,
  );
}

function reservedConcurrency(scope: Construct): Readonly<Record<string, number>> {
  const raw: unknown = scope.node.tryGetContext(SettingsContext.RESERVED_CONCURRENCY);
  let reservations: Record<string, unknown> = { ...RESERVED_CONCURRENCY_DEFAULTS };
  if (raw === 'off' || raw === false || raw === 'false') reservations = {};
  else if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      reservations = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new StackError(
        StackErrorCode.INVALID_SETTING,
        `context ${SettingsContext.RESERVED_CONCURRENCY} must be a JSON object of function name to a count, or off`,
      );
    }
  } else if (raw !== undefined && raw !== null) reservations = raw as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(reservations)) {
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new StackError(
        StackErrorCode.INVALID_SETTING,
        `context ${SettingsContext.RESERVED_CONCURRENCY}: ${name} must be an integer ≥ 0`,
      );
    }
    out[name] = value as number;
  }
  const limit = Number(text(scope, SettingsContext.ACCOUNT_CONCURRENCY) ?? DEFAULT_ACCOUNT_CONCURRENCY);
  const total = Object.values(out).reduce((sum, value) => sum + value, 0);
  if (total > 0 && total > limit - MIN_UNRESERVED_CONCURRENCY) {
    throw new StackError(
      StackErrorCode.INVALID_SETTING,
      `reserved concurrency ${total} would leave ${limit - total} of the account's ${limit} unreserved; Lambda ` +
        `keeps at least ${MIN_UNRESERVED_CONCURRENCY}. Raise the quota, or deploy with ` +
        `-c ${SettingsContext.RESERVED_CONCURRENCY}=off (or smaller reservations).`,
    );
  }
  return out;
}

export function loadStackSettings(scope: Construct): StackSettings {
  const budget = Number(text(scope, 'tracingBudgetPerDay') ?? 60);
  const namePrefix = text(scope, 'namePrefix') ?? '';
  if (!/^[A-Za-z0-9-_]*$/.test(namePrefix)) {
    throw new StackError(
      StackErrorCode.INVALID_SETTING,
      `context namePrefix "${namePrefix}" may only contain letters, digits, "-" and "_"`,
    );
  }
  return {
    namePrefix,
    environment: text(scope, 'environment') ?? 'production',
    serviceName: text(scope, 'serviceName') ?? 'stock_analytics',
    signozEndpoint: signozEndpoint(scope),
    signozSecretName: text(scope, 'signozSecretName') ?? 'trading-observability/signoz-ingestion-key',
    signozApiUrl: text(scope, 'signozApiUrl'),
    signozApiKeySecretName: text(scope, 'signozApiKeySecretName') ?? 'trading-observability/signoz-api-key',
    pagerUrl: text(scope, 'pagerUrl'),
    warningEmails: list(scope, 'warningEmails'),
    tracingBudgetPerDay: Number.isFinite(budget) && budget > 0 ? budget : 60,
    metricSymbolWatchlist: list(scope, 'metricSymbolWatchlist').length
      ? list(scope, 'metricSymbolWatchlist')
      : [...WatchlistDefaults.SYMBOLS],
    metricModelWatchlist: list(scope, 'metricModelWatchlist'),
    reservedConcurrency: reservedConcurrency(scope),
  };
}
