/**
 * The rotation end to end, over real HTTP on 127.0.0.1: the rotation function's handler (real AWS SDK, real
 * fetch) against a Secrets Manager stand-in (reached through AWS_ENDPOINT_URL_SECRETS_MANAGER) and the SigNoz
 * stand-in (ingestion-key API + a collector that accepts only live keys), while three "execution environments"
 * — the layer's own Telemetry, reading the key from Secrets Manager with the layer's SDK reader and exporting
 * through its transport — keep exporting. The clock (Date.now) is shifted to cross the layer's 15-minute key
 * cache and the 30-minute grace period without waiting.
 */
import {
  GetSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { handler } from '../../../../lambdas/ingestion-key-rotation/handler';
import type { SweepResult } from '../../../../lambdas/ingestion-key-rotation/steps';
import { ProductMetric } from '../../../../lambdas/shared/names/metrics';
import { type FlushReport, initTelemetry, MemorySink, Telemetry } from '../../../../layers/otel/src';
import { lambdaContext } from '../../../../scripts/local/runtime';
import {
  type SecretsManagerStandIn,
  startSecretsManagerStandIn,
} from '../../../../scripts/local/secrets-manager-stand-in';
import type { RotationStepName, StepAttempt } from '../../../../scripts/local/secrets-model';
import { type SignozStandIn, type StoredKey, startSignozStandIn } from '../../../support/signoz-stand-in';

const INGESTION_SECRET = 'trading-observability/signoz-ingestion-key';
const API_KEY_SECRET = 'trading-observability/signoz-api-key';
const LEDGER = 'SIGNOZ_RETIRED_KEYS';
const MINUTE = 60_000;
/** The rotation function's SDK client retries a 5xx twice (3 attempts): an injected outage lasts that long. */
const SDK_ATTEMPTS = 3;

const realNow = Date.now.bind(Date);
let clockOffset = 0;

let sm: SecretsManagerStandIn;
let signoz: SignozStandIn;
let initialKey: StoredKey;
const context = lambdaContext('ingestion-key-rotation');

/** A function's execution environment: the layer's telemetry with its own key cache. */
function environment(): Telemetry {
  return new Telemetry({
    config: {
      mode: 'otlp',
      tracesEndpoint: `${signoz.collectorUrl}/v1/traces`,
      ingestionKeySecretId: INGESTION_SECRET,
      exportTimeoutMs: 2_000,
      tracesSampler: 'always_on',
      breakerFailureThreshold: 1_000,
    },
    logSink: new MemorySink(),
    metricsSink: new MemorySink(),
  });
}

/** Functions exporting continuously until stopped; every flush's outcome is kept. */
function exportContinuously(count: number) {
  const environments = Array.from({ length: count }, environment);
  const outcomes: FlushReport[] = [];
  let running = true;
  const loops = environments.map(async (env, index) => {
    while (running) {
      await env.withSpan('trading.opportunity_analysis', { 'finance.symbol': 'AAPL', env: index }, () => 1);
      outcomes.push(await env.flush());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  return {
    outcomes,
    /** Resolves once every environment has flushed `rounds` more times. */
    async rounds(rounds: number) {
      const target = outcomes.length + rounds * count;
      while (outcomes.length < target) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(environments.map((env) => env.shutdown()));
    },
  };
}

const secretsClient = () => new SecretsManagerClient({ endpoint: sm.url, maxAttempts: 1 });

async function rotateNow() {
  const before = sm.rotations.length;
  await secretsClient().send(new RotateSecretCommand({ SecretId: INGESTION_SECRET }));
  const run = sm.rotations[before];
  if (!run) throw new Error('no rotation started');
  return run;
}

function current(): { ingestionKey: string; keyId?: string; previousKeyId?: string } {
  const text = sm.valueAt(INGESTION_SECRET, 'AWSCURRENT') ?? '';
  return text.startsWith('{') ? JSON.parse(text) : { ingestionKey: text };
}

const sweep = async () => (await handler({ action: 'revoke_retired' }, context)) as SweepResult;

beforeAll(async () => {
  [sm, signoz] = await Promise.all([startSecretsManagerStandIn(), startSignozStandIn()]);
  // Read when the SDK clients are created (the layer's reader, the rotation function's): one stand-in per file.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
    SIGNOZ_INGESTION_KEY_SECRET: INGESTION_SECRET,
    OTEL_EXPORTER_OTLP_ENDPOINT: signoz.collectorUrl,
    SIGNOZ_API_URL: signoz.apiUrl,
    SIGNOZ_API_KEY_SECRET: API_KEY_SECRET,
    INGESTION_KEY_TEST_ATTEMPTS: '2',
    INGESTION_KEY_TEST_RETRY_MS: '10',
  });
});

afterAll(async () => {
  await Promise.all([sm.close(), signoz.close()]);
});

beforeEach(() => {
  clockOffset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffset);
  sm.reset();
  signoz.reset();
  // As an operator starts: a key made in SigNoz's UI, pasted into the secret as is.
  initialKey = signoz.seedKey('created-in-the-ui');
  sm.createSecret(INGESTION_SECRET, initialKey.value);
  sm.createSecret(API_KEY_SECRET, JSON.stringify({ apiKey: signoz.apiKey }));
  sm.enableRotation(INGESTION_SECRET, (event) => handler(event, context));
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('a full rotation while functions keep exporting', () => {
  it('promotes a new key, refuses no export, and revokes the old key only after the grace period', async () => {
    const workload = exportContinuously(3);
    await workload.rounds(2);

    const run = await rotateNow();
    expect(await run.done).toBe(true);
    expect(run.attempts.map((a) => `${a.step}:${a.ok}`)).toEqual([
      'createSecret:true',
      'setSecret:true',
      'testSecret:true',
      'finishSecret:true',
    ]);
    const promoted = current();
    const newKey = signoz.liveKey(promoted.ingestionKey);
    expect(newKey?.name).toBe(`trading-observability-${run.token}`);
    expect(promoted.keyId).toBe(newKey?.id);
    // The key it replaced, found in SigNoz by value (the secret held a bare key), is still live.
    expect(promoted.previousKeyId).toBe(initialKey.id);
    expect(sm.valueAt(INGESTION_SECRET, 'AWSPREVIOUS')).toBe(initialKey.value);
    expect(signoz.liveKey(initialKey.value)).toBeDefined();
    const ledger = JSON.parse(sm.valueAt(INGESTION_SECRET, LEDGER) ?? '{}');
    expect(ledger.retired).toHaveLength(1);
    expect(ledger.retired[0].keyId).toBe(initialKey.id);
    const revokeAfter = Date.parse(ledger.retired[0].revokeAfter);
    const promotedAt = Date.now();
    expect(revokeAfter - Date.now()).toBeGreaterThan(29 * MINUTE);
    expect(revokeAfter - Date.now()).toBeLessThanOrEqual(30 * MINUTE);

    // The functions still cache the old key (15-minute cache): their exports are accepted meanwhile.
    await workload.rounds(2);
    expect((await sweep()).revoked).toEqual([]);

    clockOffset = 29 * MINUTE;
    await workload.rounds(2); // caches expired at 15 min: every function now holds the new key
    expect(await sweep()).toMatchObject({ revoked: [], waiting: 1 });
    expect(signoz.liveKey(initialKey.value)).toBeDefined();

    clockOffset = revokeAfter - realNow();
    expect(await sweep()).toMatchObject({ revoked: [initialKey.id], waiting: 0 });
    expect(signoz.liveKey(initialKey.value)).toBeUndefined();
    expect(JSON.parse(sm.valueAt(INGESTION_SECRET, LEDGER) ?? '{}').retired).toEqual([]);
    // A second sweep finds nothing to do.
    expect(await sweep()).toMatchObject({ revoked: [], waiting: 0 });

    await workload.rounds(3);
    await workload.stop();

    const notExported = workload.outcomes.filter((o) => o.outcome !== 'exported');
    expect(notExported).toEqual([]);
    expect(signoz.collector.refused).toBe(0);
    expect(signoz.collector.acceptedByKey.get(initialKey.value)).toBeGreaterThanOrEqual(6);
    expect(signoz.collector.acceptedByKey.get(promoted.ingestionKey)).toBeGreaterThanOrEqual(9);
    console.log(
      `rotation under load: ${workload.outcomes.length} exports by 3 functions, ` +
        `${workload.outcomes.length - notExported.length} accepted, ${signoz.collector.refused} refused; ` +
        `old key revoked ${((revokeAfter - promotedAt) / MINUTE).toFixed(1)} min after the promotion`,
    );
  });

  it('a second rotation replaces the rotated key and retires it in turn (JSON secret, known key id)', async () => {
    const first = await rotateNow();
    expect(await first.done).toBe(true);
    const firstKey = current();
    const second = await rotateNow();
    expect(await second.done).toBe(true);
    expect(current().previousKeyId).toBe(firstKey.keyId);
    const ledger = JSON.parse(sm.valueAt(INGESTION_SECRET, LEDGER) ?? '{}');
    expect(ledger.retired.map((entry: { keyId: string }) => entry.keyId)).toEqual([
      initialKey.id,
      firstKey.keyId,
    ]);
    clockOffset = 31 * MINUTE;
    expect([...(await sweep()).revoked].sort()).toEqual([initialKey.id, firstKey.keyId].sort());
    expect(signoz.keys.filter((key) => key.deletedAt === undefined).map((key) => key.value)).toEqual([
      current().ingestionKey,
    ]);
  });
});

interface Injection {
  readonly step: RotationStepName;
  readonly what: string;
  /** Armed just before the step's first attempt. */
  readonly arm: (token: string) => void;
  /** Whether AWSCURRENT has moved when the failure happens. */
  readonly promotedBeforeFailure: boolean;
}

const injections: Injection[] = [
  {
    step: 'createSecret',
    what: 'Secrets Manager refuses the pending version after SigNoz created the key',
    arm: () =>
      sm.inject({
        operation: 'PutSecretValue',
        when: (input) => (input.VersionStages as string[] | undefined)?.includes('AWSPENDING') === true,
        times: SDK_ATTEMPTS,
      }),
    promotedBeforeFailure: false,
  },
  {
    step: 'setSecret',
    what: 'SigNoz’s key API answers 503',
    arm: () => signoz.inject({ method: 'GET', path: /ingestion_keys\/search$/, status: 503 }),
    promotedBeforeFailure: false,
  },
  {
    step: 'testSecret',
    what: 'the collector refuses the new key (not yet propagated) on every attempt',
    arm: (token) => {
      const pending = JSON.parse(
        sm.secrets.get(INGESTION_SECRET)?.versions.find((v) => v.id === token)?.value ?? '{}',
      );
      signoz.refuseNext(pending.ingestionKey, 2);
    },
    promotedBeforeFailure: false,
  },
  {
    step: 'finishSecret',
    what: 'Secrets Manager fails to move AWSCURRENT',
    arm: () => sm.inject({ operation: 'UpdateSecretVersionStage', times: SDK_ATTEMPTS }),
    promotedBeforeFailure: false,
  },
  {
    step: 'finishSecret',
    what: 'the ledger write fails after AWSCURRENT moved',
    arm: () =>
      sm.inject({
        operation: 'PutSecretValue',
        when: (input) => (input.VersionStages as string[] | undefined)?.includes(LEDGER) === true,
        times: SDK_ATTEMPTS,
      }),
    promotedBeforeFailure: true,
  },
];

describe('a failure at each step leaves the current key working, and the retry completes', () => {
  it.each(injections.map((injection) => [injection.step, injection.what, injection] as const))(
    '%s: %s',
    async (step, _what, injection) => {
      const workload = exportContinuously(2);
      let armed = false;
      sm.enableRotation(INGESTION_SECRET, async (event) => {
        if (event.Step === step && !armed) {
          armed = true;
          injection.arm(event.ClientRequestToken ?? '');
        }
        return handler(event, context);
      });
      const failures: StepAttempt[] = [];
      sm.onStepFailure = async (attempt) => {
        failures.push(attempt);
        // Between the failure and Secrets Manager's retry: the current key is the one functions use, and works.
        const key = current().ingestionKey;
        expect(signoz.liveKey(key)).toBeDefined();
        if (!injection.promotedBeforeFailure) expect(key).toBe(initialKey.value);
        const fresh = environment();
        await fresh.withSpan('probe', {}, () => 1);
        expect((await fresh.flush()).outcome).toBe('exported');
        await workload.rounds(1);
      };

      const run = await rotateNow();
      expect(await run.done).toBe(true);
      await workload.rounds(1);
      await workload.stop();

      expect(failures.map((f) => f.step)).toEqual([step]);
      expect(run.attempts.filter((a) => a.step === step).map((a) => a.ok)).toEqual([false, true]);
      // Exactly one key was made for this rotation (a retried createSecret reuses it), and it is current.
      const made = signoz.keys.filter((key) => key.name === `trading-observability-${run.token}`);
      expect(made).toHaveLength(1);
      expect(current().ingestionKey).toBe(made[0]?.value);
      // The replaced key is recorded once, for revocation after the grace period, and still live.
      const ledger = JSON.parse(sm.valueAt(INGESTION_SECRET, LEDGER) ?? '{}');
      expect(ledger.retired.map((entry: { keyId: string }) => entry.keyId)).toEqual([initialKey.id]);
      expect(signoz.liveKey(initialKey.value)).toBeDefined();
      expect(workload.outcomes.filter((o) => o.outcome !== 'exported')).toEqual([]);
      expect(signoz.collector.refused).toBe(0);
    },
  );

  it('gives up after Secrets Manager’s retries when a step keeps failing, and the current key is untouched', async () => {
    sm.maxStepAttempts = 2;
    signoz.inject({ method: 'POST', path: /ingestion_keys$/, status: 500, times: 10 });
    const run = await rotateNow();
    expect(await run.done).toBe(false);
    expect(current().ingestionKey).toBe(initialKey.value);
    // Nothing to revoke; the ledger does not exist.
    expect(sm.valueAt(INGESTION_SECRET, LEDGER)).toBeUndefined();
    const value = await secretsClient().send(new GetSecretValueCommand({ SecretId: INGESTION_SECRET }));
    expect(value.SecretString).toBe(initialKey.value);
  });
});

describe('the handler at the edge', () => {
  it('throws INVALID_EVENT for an event that is neither a rotation step nor the sweep, and counts the failure', async () => {
    const metricsSink = new MemorySink();
    initTelemetry({ metricsSink, logSink: new MemorySink(), spanSink: new MemorySink() });
    await expect(
      handler(
        { Step: 'dropSecret', SecretId: INGESTION_SECRET, ClientRequestToken: 'x'.repeat(36) },
        context,
      ),
    ).rejects.toMatchObject({
      name: 'RotationError',
      code: 'INVALID_EVENT',
      message: expect.stringContaining('Step'),
    });
    expect(metricsSink.json().map((line) => line[ProductMetric.INGESTION_KEY_ROTATION_FAILURES])).toContain(
      1,
    );
    expect(sm.log).toEqual([]);
  });

  it('without SIGNOZ_API_URL: a sweep with nothing to revoke succeeds, a rotation step fails loudly with CONFIG', async () => {
    const saved = process.env.SIGNOZ_API_URL;
    delete process.env.SIGNOZ_API_URL;
    try {
      await expect(handler({ action: 'revoke_retired' }, context)).resolves.toMatchObject({
        ok: true,
        waiting: 0,
      });
      const run = await rotateNow();
      expect(await run.done).toBe(false);
      expect(run.attempts[0]).toMatchObject({
        step: 'createSecret',
        ok: false,
        error: expect.stringContaining('SIGNOZ_API_URL is not set'),
      });
      expect(current().ingestionKey).toBe(initialKey.value);
    } finally {
      process.env.SIGNOZ_API_URL = saved;
    }
  });

  it('counts the keys a sweep revoked', async () => {
    const run = await rotateNow();
    expect(await run.done).toBe(true);
    const metricsSink = new MemorySink();
    initTelemetry({ metricsSink, logSink: new MemorySink(), spanSink: new MemorySink() });
    clockOffset = 31 * MINUTE;
    await sweep();
    expect(metricsSink.json().map((line) => line[ProductMetric.RETIRED_INGESTION_KEYS_REVOKED])).toContain(1);
  });
});
