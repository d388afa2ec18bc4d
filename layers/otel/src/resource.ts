import type { Attributes } from '@opentelemetry/api';
import type { TelemetryConfig } from './config';

/** Resource attributes (OpenTelemetry semantic conventions, inlined to keep the bundle small). */
export function buildResourceAttributes(
  config: TelemetryConfig,
  env: NodeJS.ProcessEnv = process.env,
): Attributes {
  const detected: Attributes = {
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.distro.name': 'trading-observability',
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_lambda',
  };
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) detected['cloud.region'] = region;
  if (env.AWS_LAMBDA_FUNCTION_NAME) detected['faas.name'] = env.AWS_LAMBDA_FUNCTION_NAME;
  if (env.AWS_LAMBDA_FUNCTION_VERSION) detected['faas.version'] = env.AWS_LAMBDA_FUNCTION_VERSION;
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (Number.isFinite(memoryMb) && memoryMb > 0) detected['faas.max_memory'] = memoryMb * 1024 * 1024;
  if (env.AWS_LAMBDA_LOG_STREAM_NAME) detected['faas.instance'] = env.AWS_LAMBDA_LOG_STREAM_NAME;
  // What OTEL_RESOURCE_ATTRIBUTES says wins over detection; service and environment were resolved in config.
  return {
    ...detected,
    ...config.resourceAttributes,
    'service.name': config.serviceName,
    'service.version': config.serviceVersion,
    'deployment.environment': config.environment,
    'deployment.environment.name': config.environment,
  };
}
