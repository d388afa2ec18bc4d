/**
 * The SigNoz ingestion key, read from Secrets Manager on first export and cached (re-read after
 * `ttlMs`, so a rotated key is picked up without a redeploy). The SDK client comes from the Lambda
 * runtime and is loaded lazily: the layer bundle never contains `@aws-sdk/*`.
 */

export class IngestionKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestionKeyError';
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

export class IngestionKeyCache {
  private value: string | undefined;
  private fetchedAt = 0;

  constructor(
    private readonly secretId: string,
    private readonly reader: SecretReader = readSecretWithSdk,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(signal: AbortSignal): Promise<string> {
    if (this.value !== undefined && this.now() - this.fetchedAt < this.ttlMs) return this.value;
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
}
