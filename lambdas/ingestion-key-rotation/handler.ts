/**
 * ingestion-key-rotation: Secrets Manager's rotation function for the SigNoz ingestion key (createSecret,
 * setSecret, testSecret, finishSecret), and the scheduled sweep that revokes replaced keys once their grace
 * period has passed. Thin: validate the event, build the dependencies, run the pure steps (steps.ts).
 * A failure throws: Secrets Manager only retries a step, and the alarm only counts it, when the invocation fails
 * (an `ok:false` answer would tell Secrets Manager the step succeeded).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { instrument, logger, MetricUnit, metrics } from '@trading-observability/otel';
import { INSTRUMENT_OPTIONS } from '../shared/instrumentation';
import { ProductMetric } from '../shared/names/metrics';
import { loadRotationConfig, type RotationConfig } from './config';
import { RotationEnv } from './env';
import { RotationError, RotationErrorCode } from './errors';
import { isSweep, parseInvocation } from './events';
import { otlpExportProbe } from './export-probe';
import { type SecretStore, sdkSecretStore } from './secret-store';
import { Stage } from './secret-value';
import { type IngestionKeyApi, signozKeyApi } from './signoz-keys';
import { type RotationDeps, runStep, type StepResult, type SweepResult, sweep } from './steps';

let client: SecretsManagerClient | undefined;

/** The API key secret holds the bare key, or JSON `{"apiKey": "…"}`. */
export async function readApiKey(store: SecretStore, secretId: string): Promise<string> {
  const text = (await store.read(secretId, { stage: Stage.CURRENT }))?.trim();
  let key: unknown = text;
  if (text?.startsWith('{')) {
    try {
      key = (JSON.parse(text) as { apiKey?: unknown }).apiKey;
    } catch {
      key = undefined; // JSON.parse's message would quote the key: not logged
    }
  }
  if (typeof key !== 'string' || key === '') {
    throw new RotationError(RotationErrorCode.SECRET_FORMAT, `${secretId} holds no SigNoz API key`);
  }
  return key;
}

/** Without an API URL, every call to SigNoz fails with CONFIG (the stack warns at synth). */
async function unconfiguredApi(): Promise<never> {
  throw new RotationError(
    RotationErrorCode.CONFIG,
    `${RotationEnv.SIGNOZ_API_URL} is not set: deploy with -c signozApiUrl=https://<tenant>.<region>.signoz.cloud`,
  );
}
const unconfigured: IngestionKeyApi = {
  create: unconfiguredApi,
  findByName: unconfiguredApi,
  findByValue: unconfiguredApi,
  findById: unconfiguredApi,
  revoke: unconfiguredApi,
};

function dependencies(config: RotationConfig): RotationDeps {
  client ??= new SecretsManagerClient({});
  const store = sdkSecretStore(client);
  let apiKey: Promise<string> | undefined;
  return {
    store,
    keys: config.signozApiUrl
      ? signozKeyApi({
          baseUrl: config.signozApiUrl,
          apiKey: () => {
            apiKey ??= readApiKey(store, config.signozApiKeySecretId);
            return apiKey;
          },
        })
      : unconfigured,
    probe: otlpExportProbe({ endpoint: config.otlpEndpoint, serviceName: config.serviceName }),
    config,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: logger,
  };
}

export type RotationResult = { readonly ok: true } & (StepResult | SweepResult);

export const handler = instrument(async (event: unknown): Promise<RotationResult> => {
  try {
    const parsed = parseInvocation(event);
    if (!parsed.success) {
      throw new RotationError(
        RotationErrorCode.INVALID_EVENT,
        `not a rotation step nor {"action":"revoke_retired"}: ${parsed.issues.slice(0, 5).join('; ')}`,
      );
    }
    const deps = dependencies(loadRotationConfig());
    if (isSweep(parsed.data)) {
      const result = await sweep(deps);
      metrics.add(ProductMetric.RETIRED_INGESTION_KEYS_REVOKED, MetricUnit.COUNT, result.revoked.length);
      return { ok: true, ...result };
    }
    const result = await runStep(parsed.data, deps);
    logger.info('rotation step done', { ...result });
    return { ok: true, ...result };
  } catch (error) {
    metrics.add(ProductMetric.INGESTION_KEY_ROTATION_FAILURES, MetricUnit.COUNT, 1);
    throw error;
  }
}, INSTRUMENT_OPTIONS);
