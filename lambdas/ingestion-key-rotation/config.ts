/** The rotation function's configuration, read once through one schema (errors name the variable). */
import { INGESTION_KEY_CACHE_TTL_MS, TelemetryEnv } from '@trading-observability/otel';
import * as z from '../shared/zod';
import { RotationEnv } from './env';
import { RotationError, RotationErrorCode } from './errors';

/** The layer reads the key at most this long ago; the grace period must outlast it. */
const KEY_CACHE_MINUTES = INGESTION_KEY_CACHE_TTL_MS / 60_000;

const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** https, or http on loopback only (local stand-ins): keys never travel in clear. */
const secureUrl = z.pipe(
  z.string().check(
    z.url(),
    z.refine((text) => {
      const url = new URL(text);
      return url.protocol === 'https:' || (url.protocol === 'http:' && loopback.test(url.hostname));
    }, 'must be an https:// URL (http:// only on loopback)'),
  ),
  z.transform((text: string) => text.replace(/\/+$/, '')),
);

const envSchema = z.object({
  [TelemetryEnv.INGESTION_KEY_SECRET]: z.string().check(z.minLength(1)),
  [TelemetryEnv.OTLP_ENDPOINT]: secureUrl,
  [TelemetryEnv.SERVICE_NAME]: z._default(z.string().check(z.minLength(1)), 'stock_analytics'),
  // Optional here: a sweep with nothing to revoke needs no API; a step that does fails with CONFIG (handler.ts).
  [RotationEnv.SIGNOZ_API_URL]: z.optional(secureUrl),
  [RotationEnv.SIGNOZ_API_KEY_SECRET]: z.string().check(z.minLength(1)),
  [RotationEnv.REVOCATION_GRACE_MINUTES]: z._default(
    z.coerce
      .number()
      .check(
        z.int(),
        z.gt(KEY_CACHE_MINUTES, `must exceed the layer's ${KEY_CACHE_MINUTES}-minute key cache`),
        z.lte(7 * 24 * 60),
      ),
    2 * KEY_CACHE_MINUTES,
  ),
  [RotationEnv.KEY_NAME_PREFIX]: z._default(
    z.string().check(z.regex(/^[A-Za-z0-9._-]{0,64}$/)),
    'trading-observability-',
  ),
  [RotationEnv.TEST_ATTEMPTS]: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10)), 5),
  [RotationEnv.TEST_RETRY_MS]: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(30_000)), 2_000),
});

export interface RotationConfig {
  /** The secret this function rotates (name or ARN, as the layer reads it). */
  readonly ingestionKeySecretId: string;
  readonly otlpEndpoint: string;
  readonly serviceName: string;
  readonly signozApiUrl: string | undefined;
  readonly signozApiKeySecretId: string;
  readonly revocationGraceMs: number;
  readonly keyNamePrefix: string;
  readonly testAttempts: number;
  readonly testRetryMs: number;
}

export function loadRotationConfig(env: NodeJS.ProcessEnv = process.env): RotationConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new RotationError(RotationErrorCode.CONFIG, `invalid configuration: ${detail}`);
  }
  const value = parsed.data;
  return {
    ingestionKeySecretId: value[TelemetryEnv.INGESTION_KEY_SECRET],
    otlpEndpoint: value[TelemetryEnv.OTLP_ENDPOINT],
    serviceName: value[TelemetryEnv.SERVICE_NAME],
    signozApiUrl: value[RotationEnv.SIGNOZ_API_URL],
    signozApiKeySecretId: value[RotationEnv.SIGNOZ_API_KEY_SECRET],
    revocationGraceMs: value[RotationEnv.REVOCATION_GRACE_MINUTES] * 60_000,
    keyNamePrefix: value[RotationEnv.KEY_NAME_PREFIX],
    testAttempts: value[RotationEnv.TEST_ATTEMPTS],
    testRetryMs: value[RotationEnv.TEST_RETRY_MS],
  };
}
