import { loadRotationConfig } from '../../../../lambdas/ingestion-key-rotation/config';
import { RotationErrorCode } from '../../../../lambdas/ingestion-key-rotation/errors';

const base = {
  SIGNOZ_INGESTION_KEY_SECRET: 'trading-observability/signoz-ingestion-key',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'https://ingest.us.signoz.cloud:443',
  SIGNOZ_API_URL: 'https://acme.us.signoz.cloud/',
  SIGNOZ_API_KEY_SECRET: 'trading-observability/signoz-api-key',
};

describe('the rotation function’s configuration', () => {
  it('defaults the grace period to twice the layer’s 15-minute key cache', () => {
    const config = loadRotationConfig(base);
    expect(config.revocationGraceMs).toBe(30 * 60_000);
    expect(config.signozApiUrl).toBe('https://acme.us.signoz.cloud');
    expect(config.keyNamePrefix).toBe('trading-observability-');
  });

  it('refuses a grace period that does not outlast the key cache, naming the variable', () => {
    expect(() => loadRotationConfig({ ...base, INGESTION_KEY_REVOCATION_GRACE_MINUTES: '15' })).toThrow(
      /INGESTION_KEY_REVOCATION_GRACE_MINUTES: must exceed the layer's 15-minute key cache/,
    );
    expect(
      loadRotationConfig({ ...base, INGESTION_KEY_REVOCATION_GRACE_MINUTES: '16' }).revocationGraceMs,
    ).toBe(16 * 60_000);
  });

  it('refuses keys in clear: http only on loopback', () => {
    expect(() => loadRotationConfig({ ...base, SIGNOZ_API_URL: 'http://acme.us.signoz.cloud' })).toThrow(
      /SIGNOZ_API_URL: must be an https:\/\/ URL/,
    );
    expect(() =>
      loadRotationConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.0.0.8:4318' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(loadRotationConfig({ ...base, SIGNOZ_API_URL: 'http://127.0.0.1:8080' }).signozApiUrl).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('names a missing variable, with the error code CONFIG', () => {
    const { SIGNOZ_API_KEY_SECRET: _omitted, ...missing } = base;
    expect(() => loadRotationConfig(missing)).toThrow(
      expect.objectContaining({
        code: RotationErrorCode.CONFIG,
        message: expect.stringContaining('SIGNOZ_API_KEY_SECRET'),
      }),
    );
  });

  it('leaves the API URL optional: only a step that calls SigNoz needs it', () => {
    const { SIGNOZ_API_URL: _omitted, ...withoutUrl } = base;
    expect(loadRotationConfig(withoutUrl).signozApiUrl).toBeUndefined();
  });
});
