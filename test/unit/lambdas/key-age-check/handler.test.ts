import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { initTelemetry, MemorySink, TelemetryEnv } from '@trading-observability/otel';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, loadConfig, ProbeConfigError } from '../../../../lambdas/key-age-check/handler';
import { keyAgeDays, keyInPlaceSince, marketSessionOpen } from '../../../../lambdas/key-age-check/probe';
import { ProductMetric } from '../../../../lambdas/shared/names/metrics';
import { lambdaContext } from '../../../../scripts/local/runtime';

const NOW = new Date('2026-11-25T15:00:00Z'); // a Wednesday, 10:00 in New York
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

describe('key age from secret metadata', () => {
  it('is measured from the latest of rotation and the current version', () => {
    expect(
      keyInPlaceSince({ lastRotatedDate: daysBefore(40), currentVersionCreatedDate: daysBefore(10) }),
    ).toEqual(daysBefore(10));
    expect(keyAgeDays({ lastRotatedDate: daysBefore(95), createdDate: daysBefore(400) }, NOW)).toBeCloseTo(
      95,
      9,
    );
  });

  it('falls back to the secret creation date, and is null without any date', () => {
    expect(keyAgeDays({ createdDate: daysBefore(91.5) }, NOW)).toBeCloseTo(91.5, 9);
    expect(keyAgeDays({}, NOW)).toBeNull();
    expect(keyAgeDays({ createdDate: new Date('not a date') }, NOW)).toBeNull();
  });

  it('is never negative (clock skew)', () => {
    expect(keyAgeDays({ createdDate: new Date(NOW.getTime() + 60_000) }, NOW)).toBe(0);
  });
});

describe('market clock', () => {
  it('is 1 in the regular session and 0 outside it, on holidays and after an early close', () => {
    expect(marketSessionOpen(NOW)).toBe(1);
    expect(marketSessionOpen(new Date('2026-11-25T14:29:00Z'))).toBe(0); // 09:29 ET
    expect(marketSessionOpen(new Date('2026-11-25T21:00:00Z'))).toBe(0); // 16:00 ET
    expect(marketSessionOpen(new Date('2026-11-26T15:00:00Z'))).toBe(0); // Thanksgiving
    expect(marketSessionOpen(new Date('2026-11-27T17:30:00Z'))).toBe(1); // 12:30 ET, early-close day
    expect(marketSessionOpen(new Date('2026-11-27T18:30:00Z'))).toBe(0); // 13:30 ET, after the early close
    expect(marketSessionOpen(new Date('2026-11-28T15:00:00Z'))).toBe(0); // Saturday
  });

  it('is null outside the calendar years, rather than a guess', () => {
    expect(marketSessionOpen(new Date('2031-03-03T15:00:00Z'))).toBeNull();
  });
});

describe('key-age-check handler', () => {
  const secrets = mockClient(SecretsManagerClient);
  let metricsSink: MemorySink;

  beforeEach(() => {
    secrets.reset();
    metricsSink = new MemorySink();
    initTelemetry({ metricsSink, spanSink: new MemorySink(), logSink: new MemorySink() });
    process.env[TelemetryEnv.INGESTION_KEY_SECRET] = 'trading-observability/signoz-ingestion-key';
    jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(() => jest.useRealTimers());

  const emitted = () =>
    metricsSink.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .reduce<Record<string, unknown>>((all, document) => Object.assign(all, document), {});

  it('emits the key age and the market clock from metadata, never reading the value', async () => {
    secrets
      .on(DescribeSecretCommand)
      .resolves({ CreatedDate: daysBefore(200), LastRotatedDate: daysBefore(30) });
    secrets.on(ListSecretVersionIdsCommand).resolves({
      Versions: [
        { VersionId: 'old', VersionStages: ['AWSPREVIOUS'], CreatedDate: daysBefore(30) },
        { VersionId: 'new', VersionStages: ['AWSCURRENT'], CreatedDate: daysBefore(12) },
      ],
    });
    const result = await handler({}, lambdaContext('key-age-check'));
    expect(result).toEqual({ ok: true, keyAgeDays: 12, marketSessionOpen: 1 });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    const metrics = emitted();
    expect(metrics[ProductMetric.INGESTION_KEY_AGE_DAYS]).toBe(12);
    expect(metrics[ProductMetric.MARKET_SESSION_OPEN]).toBe(1);
    expect(metrics.Service).toBe('stock_analytics');
  });

  it('still emits the market clock when Secrets Manager fails, and no age (the alarm treats that as breaching)', async () => {
    secrets.on(DescribeSecretCommand).rejects(new Error('AccessDeniedException'));
    const result = await handler({}, lambdaContext('key-age-check'));
    expect(result.ok).toBe(false);
    expect(result.marketSessionOpen).toBe(1);
    expect(result.error?.message).toContain('AccessDenied');
    const metrics = emitted();
    expect(metrics[ProductMetric.MARKET_SESSION_OPEN]).toBe(1);
    expect(metrics[ProductMetric.INGESTION_KEY_AGE_DAYS]).toBeUndefined();
  });

  it('needs the secret name in its configuration', () => {
    expect(() => loadConfig({})).toThrow(ProbeConfigError);
    expect(loadConfig({ [TelemetryEnv.INGESTION_KEY_SECRET]: ' s ' })).toEqual({ secretId: 's' });
  });
});
