/**
 * The optimizer's configuration: the shared AppConfig (budget, price, tables, namespace) plus its own
 * settings, read once by `loadOptimizerConfig()`. Bad optimizer settings are normalised with a warning.
 */
import * as path from 'node:path';
import { SAMPLING_CATEGORIES, type SamplingCategory } from '@trading-observability/otel';
import { type AppConfig, loadConfig } from '../shared/config';
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

function numberSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  valid: (x: number) => boolean,
  warn: (message: string) => void,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (Number.isFinite(value) && valid(value)) return value;
  warn(`${name}=${raw} is invalid; using ${fallback}`);
  return fallback;
}

/** Parses `category=probability` pairs; unknown categories and bad values are skipped with a warning. */
export function parseFloors(raw: string | undefined, warn: (message: string) => void): Probabilities {
  const floors: Probabilities = { ...DEFAULT_POLICY.floors };
  if (!raw?.trim()) return floors;
  for (const pair of raw.split(',')) {
    const [name, value] = pair.split('=').map((part) => part.trim());
    const probability = Number(value);
    if (!name || !(SAMPLING_CATEGORIES as readonly string[]).includes(name)) {
      warn(`${OptimizerEnv.FLOORS}: unknown category "${name ?? ''}" skipped`);
    } else if (value === undefined || !Number.isFinite(probability) || probability < 0 || probability > 1) {
      warn(
        `${OptimizerEnv.FLOORS}: ${name}=${value ?? ''} is not in [0, 1]; keeping ${floors[name as SamplingCategory]}`,
      );
    } else {
      floors[name as SamplingCategory] = probability;
    }
  }
  return floors;
}

export function loadOptimizerConfig(
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = () => undefined,
): OptimizerConfig {
  const app = loadConfig(env);
  const windowMinutes = numberSetting(
    env,
    OptimizerEnv.WINDOW_MINUTES,
    15,
    (x) =>
      Number.isInteger(x) &&
      x >= OptimizerLimits.MIN_WINDOW_MINUTES &&
      x <= OptimizerLimits.MAX_WINDOW_MINUTES,
    warn,
  );
  const accuracyLookbackMinutes = numberSetting(
    env,
    OptimizerEnv.ACCURACY_LOOKBACK_MINUTES,
    60,
    (x) => Number.isInteger(x) && x >= 5 && x <= 1440,
    warn,
  );
  const requested = env[OptimizerEnv.METRICS_SOURCE]?.trim().toLowerCase();
  const fallbackSource = app.dynamoEndpoint ? MetricsSource.FILE : MetricsSource.CLOUDWATCH;
  let metricsSource: MetricsSource = fallbackSource;
  if (requested === MetricsSource.CLOUDWATCH || requested === MetricsSource.FILE) metricsSource = requested;
  else if (requested) warn(`${OptimizerEnv.METRICS_SOURCE}=${requested} is unknown; using ${fallbackSource}`);
  return {
    app,
    windowMinutes,
    accuracyLookbackMinutes: Math.max(accuracyLookbackMinutes, windowMinutes),
    policy: {
      ...DEFAULT_POLICY,
      budgetPerDay: app.tracingBudgetPerDay,
      pricePerGb: app.tracingPricePerGb,
      targetFraction: numberSetting(
        env,
        OptimizerEnv.TARGET_FRACTION,
        DEFAULT_POLICY.targetFraction,
        (x) => x > 0 && x <= 1,
        warn,
      ),
      deadBand: numberSetting(
        env,
        OptimizerEnv.DEAD_BAND,
        DEFAULT_POLICY.deadBand,
        (x) => x > 0 && x <= 0.5,
        warn,
      ),
      floors: parseFloors(env[OptimizerEnv.FLOORS], warn),
    },
    metricsSource,
    localMetricsFile:
      env[OptimizerEnv.LOCAL_METRICS_FILE]?.trim() ||
      env[OptimizerEnv.TELEMETRY_LOCAL_METRICS_FILE]?.trim() ||
      path.join('.local', 'metrics.jsonl'),
    serviceName: env[OptimizerEnv.SERVICE_NAME]?.trim() || 'stock_analytics',
  };
}
