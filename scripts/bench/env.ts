/**
 * The environment of benchmark child processes: `env -i` plus what they need. The machine's shell may set
 * NODE_EXTRA_CA_CERTS / NODE_OPTIONS, which add tens of ms to every Node start (docs/benchmarks.md).
 */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG'] as const) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/** What a Lambda execution environment would set, pointed at the loopback receiver. */
export function lambdaEnv(otlpUrl: string): Record<string, string> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: 'bench-fn',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_REGION: 'us-east-1',
    // Our layer (the ingestion key secret is left unset: no Secrets Manager call in the bench).
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
    // Every span exported, so that each round pays a real OTLP export (the sampler would drop most).
    OTEL_TRACES_SAMPLER: 'always_on',
    // The naive and auto-instrumentation fixtures.
    BENCH_OTLP_URL: otlpUrl,
    POWERTOOLS_SERVICE_NAME: 'bench',
  };
}
