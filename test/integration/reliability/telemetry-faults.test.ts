/**
 * The telemetry backend going away under the real tracker handler: Secrets Manager failing (the call
 * succeeds, telemetry degrades, the breaker opens and closes again after its cool-down), the OTLP collector
 * answering 500 or 429 or hanging (the call returns within the export bound plus a margin, data is stored).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { BreakerState, initTelemetry, MemorySink, type Telemetry } from '../../../layers/otel/src';
import { readSecretWithSdk } from '../../../layers/otel/src/ingestion-key';
import { type OtlpReceiver, startOtlpReceiver } from '../../../scripts/local/otlp-receiver';
import { lambdaContext } from '../../../scripts/local/runtime';
import { awsError, settledWorkload } from '../../support/reliability-faults';
import {
  type AnyHandler,
  handlerIfPresent,
  memoryTelemetry,
  type ReliabilityStore,
  startReliabilityStore,
} from '../../support/reliability-store';

jest.setTimeout(60_000);

const EXPORT_TIMEOUT_MS = 300;
/** What "bounded" allows beyond the export timeout on a loaded two-core machine (the collector hangs 5 s). */
const MARGIN_MS = 1_500;
const COOLDOWN_MS = 250;
const SECRET_ID = 'trading-observability/signoz-ingestion-key';

let env: ReliabilityStore;
let tracker: AnyHandler;
let receiver: OtlpReceiver;

function otlpTelemetry(
  overrides: { secretReader?: (id: string, signal: AbortSignal) => Promise<string> } = {},
): {
  telemetry: Telemetry;
  logs: MemorySink;
  metrics: MemorySink;
} {
  const logs = new MemorySink();
  const metrics = new MemorySink();
  const telemetry = initTelemetry({
    config: {
      mode: 'otlp',
      tracesEndpoint: `${receiver.url}/v1/traces`,
      ingestionKeySecretId: SECRET_ID,
      exportTimeoutMs: EXPORT_TIMEOUT_MS,
      breakerFailureThreshold: 2,
      breakerCooldownMs: COOLDOWN_MS,
      tracesSampler: 'always_on',
      samplingConfigTable: undefined,
    },
    // The SDK reader (the fallback without credentials in the environment), which the mock below replaces.
    secretReader: overrides.secretReader ?? readSecretWithSdk,
    logSink: logs,
    metricsSink: metrics,
  });
  return { telemetry, logs, metrics };
}

async function timedReport(): Promise<{ result: unknown; elapsedMs: number }> {
  const started = performance.now();
  const result = await tracker({ action: 'report', limit: 1 }, lambdaContext('dual-accuracy-tracker'));
  return { result, elapsedMs: performance.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  env = await startReliabilityStore({ DATA_NAMESPACE: 'telemetry-faults' });
  memoryTelemetry();
  tracker = (await handlerIfPresent('dual-accuracy-tracker')) as AnyHandler;
  // Warm: configuration read, clients created (a cold start is not what is measured here).
  await tracker({ action: 'report' }, lambdaContext('dual-accuracy-tracker'));
});

beforeEach(async () => {
  receiver = await startOtlpReceiver();
});

afterEach(async () => {
  await receiver.close();
});

afterAll(async () => {
  memoryTelemetry();
  await env?.stop();
});

describe('Secrets Manager failing (the SDK reader, mocked with aws-sdk-client-mock)', () => {
  it('keeps answering, opens the breaker after two failures, and closes it after the cool-down once the secret reads', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand)
      .rejects(awsError('InternalServiceError', 'Secrets Manager is unavailable', 500));
    try {
      const { telemetry, logs } = otlpTelemetry();
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) {
        const { result } = await timedReport();
        expect(result).toMatchObject({ ok: true });
        outcomes.push(String(telemetry.lastFlush?.outcome));
      }
      expect(outcomes).toEqual(['failed', 'failed', 'skipped_breaker_open', 'skipped_breaker_open']);
      expect(telemetry.breaker.state).toBe(BreakerState.OPEN);
      expect(receiver.received).toHaveLength(0);
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
      expect(logs.lines.join('\n')).toContain('telemetry export failed; the business call is unaffected');

      secrets
        .on(GetSecretValueCommand)
        .resolves({ SecretString: JSON.stringify({ ingestionKey: 'key-after-recovery' }) });
      await sleep(COOLDOWN_MS + 50);
      expect(telemetry.breaker.state).toBe(BreakerState.HALF_OPEN);
      const { result } = await timedReport();
      expect(result).toMatchObject({ ok: true });
      expect(telemetry.lastFlush?.outcome).toBe('exported');
      expect(telemetry.breaker.state).toBe(BreakerState.CLOSED);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.headers['signoz-ingestion-key']).toBe('key-after-recovery');
    } finally {
      secrets.restore();
    }
  });

  it('a failed trial after the cool-down re-opens the breaker at once (one failure, not two)', async () => {
    let fail = true;
    const { telemetry } = otlpTelemetry({
      secretReader: async () => {
        if (fail)
          throw new Error('AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue');
        return 'key';
      },
    });
    await timedReport();
    await timedReport();
    expect(telemetry.breaker.state).toBe(BreakerState.OPEN);
    await sleep(COOLDOWN_MS + 50);
    await timedReport();
    expect(telemetry.lastFlush?.outcome).toBe('failed');
    expect(telemetry.breaker.state).toBe(BreakerState.OPEN);
    fail = false;
    await sleep(COOLDOWN_MS + 50);
    await timedReport();
    expect(telemetry.lastFlush?.outcome).toBe('exported');
    expect(telemetry.breaker.state).toBe(BreakerState.CLOSED);
  });
});

describe('the OTLP collector failing', () => {
  it.each([500, 429, 503])(
    'answers HTTP %i: the call succeeds within the bound and counts the failure',
    async (status) => {
      receiver.status = status;
      const { telemetry, metrics } = otlpTelemetry({ secretReader: async () => 'key' });
      const { result, elapsedMs } = await timedReport();
      expect(result).toMatchObject({ ok: true });
      expect(telemetry.lastFlush).toMatchObject({
        outcome: 'failed',
        error: `collector answered HTTP ${status}`,
      });
      expect(elapsedMs).toBeLessThan(EXPORT_TIMEOUT_MS + MARGIN_MS);
      expect(receiver.received).toHaveLength(1);
      expect(metrics.lines.join('\n')).toContain('TelemetryExportFailures');
    },
  );

  it('hangs for 5 s: record_predictions returns within the export bound and its data is stored', async () => {
    receiver.delayMs = 5_000;
    const { telemetry } = otlpTelemetry({ secretReader: async () => 'key' });
    const { predictions } = settledWorkload(10, Date.now(), ['HANG']);
    const started = performance.now();
    const result = await tracker(
      { action: 'record_predictions', predictions },
      lambdaContext('dual-accuracy-tracker'),
    );
    const elapsedMs = performance.now() - started;
    expect(result).toMatchObject({ ok: true, recorded: 10 });
    expect(telemetry.lastFlush?.outcome).toBe('failed');
    expect(telemetry.lastFlush?.error).toMatch(/abort|deadline/i);
    expect(elapsedMs).toBeLessThan(EXPORT_TIMEOUT_MS + MARGIN_MS);
    memoryTelemetry();
    const validated = (await tracker(
      { action: 'validate_all', symbols: ['HANG'] },
      lambdaContext('dual-accuracy-tracker'),
    )) as { summary: { overall: { n: number; pending: number } } };
    expect(validated.summary.overall.n + validated.summary.overall.pending).toBe(10);
  });

  it('a dead collector behind an open breaker costs nothing: later calls skip the export', async () => {
    receiver.status = 500;
    const { telemetry } = otlpTelemetry({ secretReader: async () => 'key' });
    await timedReport();
    await timedReport();
    const { elapsedMs } = await timedReport();
    expect(telemetry.lastFlush?.outcome).toBe('skipped_breaker_open');
    expect(receiver.received).toHaveLength(2);
    expect(elapsedMs).toBeLessThan(EXPORT_TIMEOUT_MS + MARGIN_MS);
  });
});

describe('the breaker after its cool-down, under concurrent invocations (one process, as the local endpoint runs them)', () => {
  it('sends one trial export, not one per invocation; the others skip until it reports', async () => {
    receiver.status = 500;
    const { telemetry } = otlpTelemetry({ secretReader: async () => 'key' });
    await timedReport();
    await timedReport();
    expect(telemetry.breaker.state).toBe(BreakerState.OPEN);
    expect(receiver.received).toHaveLength(2);
    await sleep(COOLDOWN_MS + 50);
    // The trial hangs longer than the others take to finish: all eight flush while it is in flight.
    receiver.delayMs = EXPORT_TIMEOUT_MS * 2;
    const results = await Promise.all(Array.from({ length: 8 }, () => timedReport()));
    for (const { result } of results) expect(result).toMatchObject({ ok: true });
    expect(receiver.received).toHaveLength(3);
    expect(telemetry.breaker.state).toBe(BreakerState.OPEN);
  });
});
