import { readTelemetryConfig } from '../../../../../layers/otel/src/config';

const read = (env: NodeJS.ProcessEnv) => readTelemetryConfig(env);

describe('the layer reads the standard OpenTelemetry environment', () => {
  it('appends /v1/traces to the generic endpoint and uses the signal-specific one as is', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).config.tracesEndpoint).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://in.example/otlp/' }).config.tracesEndpoint).toBe(
      'https://in.example/otlp/v1/traces',
    );
    const both = read({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://generic:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://specific:4318/custom/path',
    });
    expect(both.config.tracesEndpoint).toBe('http://specific:4318/custom/path');
    expect(both.warnings).toEqual([]);
  });

  it('exports whenever an endpoint is set, in Lambda or not; without one only inside Lambda, with a warning', () => {
    expect(read({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).config.mode).toBe('otlp');
    expect(read({}).config.mode).toBe('off');
    const lambda = read({ AWS_LAMBDA_FUNCTION_NAME: 'f' });
    expect(lambda.config.mode).toBe('otlp');
    expect(lambda.config.tracesEndpoint).toBeUndefined();
    expect(lambda.warnings).toEqual([expect.stringContaining('OTEL_EXPORTER_OTLP_ENDPOINT')]);
    expect(read({ TELEMETRY_MODE: 'local', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).config.mode).toBe(
      'local',
    );
  });

  it('merges the generic and trace headers (trace ones win), percent-decoded', () => {
    const { config, warnings } = read({
      OTEL_EXPORTER_OTLP_HEADERS: 'signoz-ingestion-key=abc%3D%3D, x-team=trading',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=ml',
    });
    expect(config.exportHeaders).toEqual({ 'signoz-ingestion-key': 'abc==', 'x-team': 'ml' });
    expect(warnings).toEqual([]);
  });

  it('names the variable of a malformed header list without echoing its (secret) value', () => {
    const { config, warnings } = read({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsecret' });
    expect(config.exportHeaders).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    expect(warnings[0]).not.toContain('secret');
  });

  it('takes the service, version, environment and further attributes from OTEL_RESOURCE_ATTRIBUTES', () => {
    const { config } = read({
      OTEL_RESOURCE_ATTRIBUTES:
        'service.name=from-attributes,service.version=2.0.1,deployment.environment.name=staging,team=quant%2Cml',
    });
    expect(config).toMatchObject({
      serviceName: 'from-attributes',
      serviceVersion: '2.0.1',
      environment: 'staging',
      resourceAttributes: { team: 'quant,ml' },
    });
    // OTEL_SERVICE_NAME wins over service.name in the attributes (the standard).
    expect(
      read({ OTEL_SERVICE_NAME: 'svc', OTEL_RESOURCE_ATTRIBUTES: 'service.name=other' }).config.serviceName,
    ).toBe('svc');
    expect(read({}).config).toMatchObject({
      serviceName: 'stock_analytics',
      serviceVersion: '0.1.0',
      environment: 'development',
    });
  });

  it('bounds the export by OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, then OTEL_EXPORTER_OTLP_TIMEOUT, else 800 ms', () => {
    expect(read({}).config.exportTimeoutMs).toBe(800);
    expect(read({ OTEL_EXPORTER_OTLP_TIMEOUT: '1500' }).config.exportTimeoutMs).toBe(1500);
    expect(
      read({ OTEL_EXPORTER_OTLP_TIMEOUT: '1500', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '300' }).config
        .exportTimeoutMs,
    ).toBe(300);
    const bad = read({ OTEL_EXPORTER_OTLP_TIMEOUT: '0' });
    expect(bad.config.exportTimeoutMs).toBe(800);
    expect(bad.warnings).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_TIMEOUT: .*using the default 800$/),
    ]);
  });

  it('maps OTEL_TRACES_SAMPLER and its argument, warning about unknown values', () => {
    expect(read({}).config.tracesSampler).toBe('business_aware');
    expect(read({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }).config.tracesSampler).toBe('always_on');
    expect(read({ OTEL_TRACES_SAMPLER: 'ALWAYS_OFF' }).config.tracesSampler).toBe('always_off');
    const ratio = read({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    expect(ratio.config).toMatchObject({ tracesSampler: 'traceidratio', tracesSamplerRatio: 0.1 });
    const outOfRange = read({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' });
    expect(outOfRange.config.tracesSamplerRatio).toBe(1);
    expect(outOfRange.warnings).toEqual([expect.stringContaining('OTEL_TRACES_SAMPLER_ARG')]);
    const unknown = read({ OTEL_TRACES_SAMPLER: 'xray' });
    expect(unknown.config.tracesSampler).toBe('business_aware');
    expect(unknown.warnings).toEqual([expect.stringContaining('OTEL_TRACES_SAMPLER')]);
  });

  it('OTEL_SDK_DISABLED=true (any case) records and exports no span; other values warn and leave it on', () => {
    const disabled = read({
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      SAMPLING_CONFIG_TABLE: 'sampling',
    });
    expect(disabled.config).toMatchObject({ mode: 'off', tracesSampler: 'always_off' });
    expect(disabled.config.samplingConfigTable).toBeUndefined();
    const typo = read({ OTEL_SDK_DISABLED: 'yes' });
    expect(typo.config.tracesSampler).toBe('business_aware');
    expect(typo.warnings).toEqual([expect.stringContaining('OTEL_SDK_DISABLED')]);
    expect(read({ OTEL_SDK_DISABLED: 'false' }).warnings).toEqual([]);
  });

  it('reads OTEL_LOG_LEVEL for diagnostics (info by default) apart from the application LOG_LEVEL', () => {
    expect(read({}).config).toMatchObject({ diagnosticLevel: 'info', logLevel: 'INFO' });
    expect(read({ OTEL_LOG_LEVEL: 'DEBUG', LOG_LEVEL: 'warn' }).config).toMatchObject({
      diagnosticLevel: 'debug',
      logLevel: 'WARN',
    });
  });

  it('treats an empty value as unset', () => {
    const { config, warnings } = read({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_SAMPLER: ' ' });
    expect(config.tracesEndpoint).toBeUndefined();
    expect(config.tracesSampler).toBe('business_aware');
    expect(warnings).toEqual([]);
  });
});

describe('the former project names stay as aliases for one release', () => {
  it('reads them after the standard names, each with a warning naming its replacement', () => {
    const { config, warnings } = read({
      SIGNOZ_OTLP_ENDPOINT: 'https://ingest.us.signoz.cloud:443',
      DEPLOYMENT_ENVIRONMENT: 'production',
      SERVICE_VERSION: '1.0.0',
      TELEMETRY_EXPORT_TIMEOUT_MS: '500',
      TELEMETRY_SAMPLING_ENABLED: 'false',
    });
    expect(config).toMatchObject({
      tracesEndpoint: 'https://ingest.us.signoz.cloud/v1/traces',
      environment: 'production',
      serviceVersion: '1.0.0',
      exportTimeoutMs: 500,
      tracesSampler: 'always_on',
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^SERVICE_VERSION is deprecated.*OTEL_RESOURCE_ATTRIBUTES \(service\.version\)/),
      expect.stringMatching(/^DEPLOYMENT_ENVIRONMENT is deprecated.*deployment\.environment\.name/),
      expect.stringMatching(/^SIGNOZ_OTLP_ENDPOINT is deprecated.*OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/),
      expect.stringMatching(/^TELEMETRY_EXPORT_TIMEOUT_MS is deprecated.*OTEL_EXPORTER_OTLP_TRACES_TIMEOUT/),
      expect.stringMatching(/^TELEMETRY_SAMPLING_ENABLED is deprecated.*OTEL_TRACES_SAMPLER=always_on/),
    ]);
  });

  it('lets the standard name win without a warning about the alias', () => {
    const { config, warnings } = read({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://standard:4318',
      SIGNOZ_OTLP_ENDPOINT: 'http://former:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging',
      DEPLOYMENT_ENVIRONMENT: 'production',
      OTEL_TRACES_SAMPLER: 'business_aware',
      TELEMETRY_SAMPLING_ENABLED: 'false',
    });
    expect(config.tracesEndpoint).toBe('http://standard:4318/v1/traces');
    expect(config.environment).toBe('staging');
    expect(config.tracesSampler).toBe('business_aware');
    expect(warnings.some((w) => w.startsWith('SIGNOZ_OTLP_ENDPOINT'))).toBe(false);
  });
});
