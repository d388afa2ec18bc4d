import type { Attributes } from '@opentelemetry/api';
import type { TelemetryConfig } from './config';

/** Resource attributes (OpenTelemetry semantic conventions, inlined to keep the bundle small). */
export function buildResourceAttributes(
  config: TelemetryConfig,
  env: NodeJS.ProcessEnv = process.env,
): Attributes {
  const attributes: Attributes = {
    'service.name': config.serviceName,
    'service.version': config.serviceVersion,
    'deployment.environment': config.environment,
    'deployment.environment.name': config.environment,
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.distro.name': 'trading-observability',
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_lambda',
  };
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) attributes['cloud.region'] = region;
  if (env.AWS_LAMBDA_FUNCTION_NAME) attributes['faas.name'] = env.AWS_LAMBDA_FUNCTION_NAME;
  if (env.AWS_LAMBDA_FUNCTION_VERSION) attributes['faas.version'] = env.AWS_LAMBDA_FUNCTION_VERSION;
  const memoryMb = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (Number.isFinite(memoryMb) && memoryMb > 0) attributes['faas.max_memory'] = memoryMb * 1024 * 1024;
  if (env.AWS_LAMBDA_LOG_STREAM_NAME) attributes['faas.instance'] = env.AWS_LAMBDA_LOG_STREAM_NAME;
  return attributes;
}
