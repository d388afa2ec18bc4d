/**
 * key-age-check: every 5 minutes, emits the SigNoz ingestion key's age (IngestionKeyAgeDays) from the secret's
 * metadata — DescribeSecret and ListSecretVersionIds, never GetSecretValue — and the market clock
 * (MarketSessionOpen) that the "no rankings" and "stale market data" alarms gate on.
 */
import {
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { instrument, logger, MetricUnit, metrics, TelemetryEnv } from '@trading-observability/otel';
import { FailureCode, TradingObservabilityError } from '../shared/errors';
import { INSTRUMENT_OPTIONS } from '../shared/instrumentation';
import { ProductMetric } from '../shared/names/metrics';
import { type KeyMetadata, keyAgeDays, marketSessionOpen } from './probe';

const secrets = new SecretsManagerClient({});

export class ProbeConfigError extends TradingObservabilityError {
  override readonly name: string = 'ProbeConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(FailureCode.PROBE_CONFIG_INVALID, message, options);
  }
}

export interface ProbeConfig {
  readonly secretId: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProbeConfig {
  const secretId = env[TelemetryEnv.INGESTION_KEY_SECRET]?.trim();
  if (!secretId) throw new ProbeConfigError(`${TelemetryEnv.INGESTION_KEY_SECRET} is not set`);
  return { secretId };
}

async function readKeyMetadata(secretId: string): Promise<KeyMetadata> {
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  // Version metadata only (IncludeDeprecated=false): which version is AWSCURRENT and when it was created.
  const versions = await secrets.send(
    new ListSecretVersionIdsCommand({ SecretId: secretId, MaxResults: 20 }),
  );
  const current = versions.Versions?.find((version) => version.VersionStages?.includes('AWSCURRENT'));
  return {
    lastRotatedDate: described.LastRotatedDate,
    currentVersionCreatedDate: current?.CreatedDate,
    createdDate: described.CreatedDate,
  };
}

export interface ProbeResult {
  readonly ok: boolean;
  readonly keyAgeDays: number | null;
  readonly marketSessionOpen: 0 | 1 | null;
  readonly error?: { readonly code: string; readonly message: string };
}

export const handler = instrument(async (): Promise<ProbeResult> => {
  const now = new Date();
  const open = marketSessionOpen(now);
  // The clock is emitted first and independently: a Secrets Manager outage must not blind the market alarms.
  if (open === null) {
    logger.error(
      'market calendar does not cover this date: add the year to lambdas/shared/market/holidays.ts',
      {
        now: now.toISOString(),
      },
    );
  } else {
    metrics.add(ProductMetric.MARKET_SESSION_OPEN, MetricUnit.COUNT, open);
  }
  try {
    const { secretId } = loadConfig();
    const age = keyAgeDays(await readKeyMetadata(secretId), now);
    if (age === null) {
      logger.warn('ingestion key secret has no dates in its metadata', { secretId });
      return {
        ok: false,
        keyAgeDays: null,
        marketSessionOpen: open,
        error: { code: 'NO_DATES', message: 'no dates' },
      };
    }
    metrics.add(ProductMetric.INGESTION_KEY_AGE_DAYS, MetricUnit.NONE, Number(age.toFixed(3)));
    logger.info('ingestion key age', { keyAgeDays: Number(age.toFixed(2)), marketSessionOpen: open });
    return { ok: true, keyAgeDays: Number(age.toFixed(3)), marketSessionOpen: open };
  } catch (error) {
    // No age metric is sent: the key-age alarm treats the gap as breaching, so on-call hears of it.
    logger.error(
      'ingestion key metadata unreadable',
      error instanceof Error ? error : { error: String(error) },
    );
    return {
      ok: false,
      keyAgeDays: null,
      marketSessionOpen: open,
      error: { code: 'DEPENDENCY_UNAVAILABLE', message: (error as Error).message ?? String(error) },
    };
  }
}, INSTRUMENT_OPTIONS);
