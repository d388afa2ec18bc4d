/**
 * The rotation function's own environment variables, besides the layer's (no imports: the stack,
 * lib/ingestion-key-rotation.ts, sets these names and config.ts reads them).
 */
export const RotationEnv = {
  /** Base URL of the SigNoz workspace's API, e.g. https://<tenant>.<region>.signoz.cloud. */
  SIGNOZ_API_URL: 'SIGNOZ_API_URL',
  /** Name of the secret holding a SigNoz API key (role Editor or Admin) for the ingestion-key API. */
  SIGNOZ_API_KEY_SECRET: 'SIGNOZ_API_KEY_SECRET',
  /** Minutes a replaced key stays valid after the new one is promoted. */
  REVOCATION_GRACE_MINUTES: 'INGESTION_KEY_REVOCATION_GRACE_MINUTES',
  /** Prefix of the names of the keys the rotation creates in SigNoz (the rest is the rotation's token). */
  KEY_NAME_PREFIX: 'INGESTION_KEY_NAME_PREFIX',
  /** Attempts of testSecret's export, and the pause between them (a new key may take seconds to propagate). */
  TEST_ATTEMPTS: 'INGESTION_KEY_TEST_ATTEMPTS',
  TEST_RETRY_MS: 'INGESTION_KEY_TEST_RETRY_MS',
} as const;
