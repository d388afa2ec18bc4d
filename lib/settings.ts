import type { Construct } from 'constructs';

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
}

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

export function loadStackSettings(scope: Construct): StackSettings {
  const budget = Number(text(scope, 'tracingBudgetPerDay') ?? 60);
  const namePrefix = text(scope, 'namePrefix') ?? '';
  if (!/^[A-Za-z0-9-_]*$/.test(namePrefix)) {
    throw new Error(`context namePrefix "${namePrefix}" may only contain letters, digits, "-" and "_"`);
  }
  return {
    namePrefix,
    environment: text(scope, 'environment') ?? 'production',
    serviceName: text(scope, 'serviceName') ?? 'stock_analytics',
    signozEndpoint: text(scope, 'signozEndpoint') ?? 'https://ingest.us.signoz.cloud:443',
    signozSecretName: text(scope, 'signozSecretName') ?? 'trading-observability/signoz-ingestion-key',
    signozApiUrl: text(scope, 'signozApiUrl'),
    signozApiKeySecretName: text(scope, 'signozApiKeySecretName') ?? 'trading-observability/signoz-api-key',
    pagerUrl: text(scope, 'pagerUrl'),
    warningEmails: list(scope, 'warningEmails'),
    tracingBudgetPerDay: Number.isFinite(budget) && budget > 0 ? budget : 60,
    metricSymbolWatchlist: list(scope, 'metricSymbolWatchlist').length
      ? list(scope, 'metricSymbolWatchlist')
      : ['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM'],
  };
}
