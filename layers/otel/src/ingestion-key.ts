/**
 * The SigNoz ingestion key, read from Secrets Manager and cached (re-read after `ttlMs`, so a rotated key
 * is picked up without a redeploy, and at once when the collector refuses the cached one: `reread`). Read
 * with one signed GetSecretValue over the layer's own HTTP client (aws-json-request.ts): loading the
 * runtime's SDK client for it cost every cold start tens of milliseconds. Without credentials in the
 * environment (a local run with a profile) the runtime's SDK is loaded instead. The layer bundle never
 * contains `@aws-sdk/*`.
 */
import { AwsJsonService, awsJsonRequest, credentialsFromEnv } from './aws-json-request';
import { TelemetryError, TelemetryErrorCode } from './errors';

/**
 * How long a read key is used before it is read again. The rotation function revokes a replaced key only
 * after a grace period longer than this (lambdas/ingestion-key-rotation).
 */
export const INGESTION_KEY_CACHE_TTL_MS = 15 * 60_000;

export class IngestionKeyError extends TelemetryError {
  override readonly name = 'IngestionKeyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(TelemetryErrorCode.INGESTION_KEY_UNAVAILABLE, message, options);
  }
}

export type SecretReader = (secretId: string, signal: AbortSignal) => Promise<string>;

interface SecretsManagerModule {
  SecretsManagerClient: new (
    config: Record<string, unknown>,
  ) => {
    send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<{ SecretString?: string }>;
  };
  GetSecretValueCommand: new (input: { SecretId: string }) => unknown;
}

let sdkClient: InstanceType<SecretsManagerModule['SecretsManagerClient']> | undefined;
let sdkModule: SecretsManagerModule | undefined;

/** Reads the secret with one signed request (credentials and region from the environment, as in Lambda). */
export const readSecretWithSignedRequest: SecretReader = async (secretId, signal) => {
  const credentials = credentialsFromEnv();
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (!credentials || !region) throw new IngestionKeyError('no AWS credentials or region in the environment');
  const output = await awsJsonRequest<{ SecretString?: string }>({
    service: AwsJsonService.SECRETS_MANAGER,
    operation: 'GetSecretValue',
    input: { SecretId: secretId },
    credentials,
    region,
    signal,
  });
  return extractKey(output.SecretString);
};

/** The default reader: a signed request where the environment has credentials (Lambda), else the SDK. */
export const readSecret: SecretReader = (secretId, signal) =>
  credentialsFromEnv() && (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION)
    ? readSecretWithSignedRequest(secretId, signal)
    : readSecretWithSdk(secretId, signal);

/** Reads the secret with the runtime's AWS SDK; a JSON secret may hold the key under `ingestionKey`/`key`. */
export const readSecretWithSdk: SecretReader = async (secretId, signal) => {
  sdkModule ??= require('@aws-sdk/client-secrets-manager') as SecretsManagerModule;
  sdkClient ??= new sdkModule.SecretsManagerClient({ maxAttempts: 1 });
  const output = await sdkClient.send(new sdkModule.GetSecretValueCommand({ SecretId: secretId }), {
    abortSignal: signal,
  });
  return extractKey(output.SecretString);
};

export function extractKey(secretString: string | undefined): string {
  if (!secretString) throw new IngestionKeyError('the secret has no SecretString');
  const trimmed = secretString.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    const key = parsed.ingestionKey ?? parsed.key ?? parsed['signoz-ingestion-key'];
    if (typeof key !== 'string' || key === '') {
      throw new IngestionKeyError('the JSON secret has no "ingestionKey" field');
    }
    return key;
  }
  return trimmed;
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts (the promise itself is not cancelled). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new IngestionKeyError('the key read was aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new IngestionKeyError('the key read was aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class IngestionKeyCache {
  private value: string | undefined;
  private fetchedAt = 0;
  /** A read under way (the prefetch at cold init, or a concurrent export): later callers share it. */
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly secretId: string,
    private readonly reader: SecretReader = readSecret,
    private readonly ttlMs = INGESTION_KEY_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(signal: AbortSignal): Promise<string> {
    if (this.value !== undefined && this.now() - this.fetchedAt < this.ttlMs) return this.value;
    this.inFlight ??= this.read(signal).finally(() => {
      this.inFlight = undefined;
    });
    return untilAborted(this.inFlight, signal);
  }

  /**
   * Starts the read now (at cold init), bounded by `timeoutMs`, so the first export finds the key instead
   * of waiting a round trip for it. A failed prefetch is forgotten: the first export reads again.
   */
  prefetch(timeoutMs: number): void {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    timer.unref?.();
    this.get(controller.signal)
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
  }

  private async read(signal: AbortSignal): Promise<string> {
    try {
      this.value = await this.reader(this.secretId, signal);
      this.fetchedAt = this.now();
      return this.value;
    } catch (error) {
      // A stale key is better than none while Secrets Manager is unavailable.
      if (this.value !== undefined) return this.value;
      throw new IngestionKeyError('could not read the SigNoz ingestion key', { cause: error });
    }
  }

  /**
   * Reads the key again now, whatever its age (the collector refused `rejected`): the new key, or
   * `undefined` when the secret still holds the refused key or cannot be read (no retry is worth it then).
   */
  async reread(rejected: string, signal: AbortSignal): Promise<string | undefined> {
    try {
      const key = await this.reader(this.secretId, signal);
      this.value = key;
      this.fetchedAt = this.now();
      return key === rejected ? undefined : key;
    } catch {
      return undefined;
    }
  }
}
