/**
 * The optimizer's configuration: the shared AppConfig (budget, price, tables, namespace) plus its own
 * settings, one schema read once by `loadOptimizerConfig()`; a bad value throws `ConfigError` naming
 * the variable. The layer's own settings (its local EMF file, its service name) are read from the layer.
 */
import * as path from 'node:path';
import { loadTelemetryConfig, SAMPLING_CATEGORIES, type SamplingCategory } from '@trading-observability/otel';
import { type AppConfig, envInteger, loadConfig, parseEnvironment } from '../shared/config';
import * as z from '../shared/zod';
import { MetricsSource, OptimizerEnv } from './env';
import { DEFAULT_POLICY, type OptimizerPolicy, type Probabilities } from './optimizer';
import { OptimizerLimits } from './schemas';

export { MetricsSource, OptimizerEnv } from './env';

export interface OptimizerConfig {
  readonly app: AppConfig;
  readonly windowMinutes: number;
  readonly accuracyLookbackMinutes: number;
  readonly policy: OptimizerPolicy;
  readonly metricsSource: MetricsSource;
  readonly localMetricsFile: string;
  /** Value of the `Service` dimension of the layer's metrics. */
  readonly serviceName: string;
}

/** `category=probability` pairs over the default floors; an unknown category or a bad value is an error. */
const floors = z.pipe(
  z.optional(z.string()),
  z.transform((raw: string | undefined, context): Probabilities => {
    const parsed: Probabilities = { ...DEFAULT_POLICY.floors };
    for (const pair of raw?.split(',') ?? []) {
      if (pair.trim() === '') continue;
      const [name = '', value = ''] = pair.split('=').map((part) => part.trim());
      const probability = Number(value);
      if (!(SAMPLING_CATEGORIES as readonly string[]).includes(name)) {
        context.issues.push({
          code: 'custom',
          message: `unknown category "${name}" (categories: ${SAMPLING_CATEGORIES.join(', ')})`,
          input: raw,
        });
      } else if (value === '' || !Number.isFinite(probability) || probability < 0 || probability > 1) {
        context.issues.push({
          code: 'custom',
          message: `${name}=${value} is not a probability in [0, 1]`,
          input: raw,
        });
      } else {
        parsed[name as SamplingCategory] = probability;
      }
    }
    return parsed;
  }),
);

/** A number in (0, max], `fallback` when unset. */
const positive = (fallback: number, max: number) =>
  z._default(z.coerce.number().check(z.gt(0, 'must be greater than 0'), z.lte(max)), fallback);

const optimizerSchema = z.object({
  [OptimizerEnv.WINDOW_MINUTES]: envInteger(
    15,
    OptimizerLimits.MIN_WINDOW_MINUTES,
    OptimizerLimits.MAX_WINDOW_MINUTES,
  ),
  // Never shorter than the volume window (raised to it below).
  [OptimizerEnv.ACCURACY_LOOKBACK_MINUTES]: envInteger(60, 5, 1440),
  [OptimizerEnv.TARGET_FRACTION]: positive(DEFAULT_POLICY.targetFraction, 1),
  [OptimizerEnv.DEAD_BAND]: positive(DEFAULT_POLICY.deadBand, 0.5),
  [OptimizerEnv.FLOORS]: floors,
  // Unset: the layer's local EMF file when the store is local (DYNAMODB_ENDPOINT), else CloudWatch.
  [OptimizerEnv.METRICS_SOURCE]: z.optional(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((raw: string) => raw.trim().toLowerCase()),
      ),
      z.enum([MetricsSource.CLOUDWATCH, MetricsSource.FILE]),
    ),
  ),
  [OptimizerEnv.LOCAL_METRICS_FILE]: z.optional(z.string()),
});

export function loadOptimizerConfig(env: NodeJS.ProcessEnv = process.env): OptimizerConfig {
  const app = loadConfig(env);
  const values = parseEnvironment(optimizerSchema, env);
  const telemetry = loadTelemetryConfig(env);
  const windowMinutes = values[OptimizerEnv.WINDOW_MINUTES];
  return {
    app,
    windowMinutes,
    accuracyLookbackMinutes: Math.max(values[OptimizerEnv.ACCURACY_LOOKBACK_MINUTES], windowMinutes),
    policy: {
      ...DEFAULT_POLICY,
      budgetPerDay: app.tracingBudgetPerDay,
      pricePerGb: app.tracingPricePerGb,
      targetFraction: values[OptimizerEnv.TARGET_FRACTION],
      deadBand: values[OptimizerEnv.DEAD_BAND],
      floors: values[OptimizerEnv.FLOORS],
    },
    metricsSource:
      values[OptimizerEnv.METRICS_SOURCE] ??
      (app.dynamoEndpoint ? MetricsSource.FILE : MetricsSource.CLOUDWATCH),
    localMetricsFile:
      values[OptimizerEnv.LOCAL_METRICS_FILE]?.trim() ||
      telemetry.localMetricsFile ||
      path.join('.local', 'metrics.jsonl'),
    serviceName: telemetry.serviceName,
  };
}
