/**
 * The vocabulary of alert rules: CloudFormation's own strings for comparisons and missing data, the rule shapes
 * and the metrics they read. No CDK import: the backtest reads the same types in plain Node.
 */

import type { FunctionName } from '../../lambdas/shared/names/functions';
import { MetricDimension } from '../../lambdas/shared/names/metrics';
import { METRICS_NAMESPACE } from '../../layers/otel/src/constants';
import { StackError, StackErrorCode } from '../errors';

export const Severity = { CRITICAL: 'critical', WARNING: 'warning' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

/** CloudWatch comparison operators (CloudFormation values). */
export const Comparison = {
  GT: 'GreaterThanThreshold',
  GTE: 'GreaterThanOrEqualToThreshold',
  LT: 'LessThanThreshold',
  LTE: 'LessThanOrEqualToThreshold',
} as const;
export type Comparison = (typeof Comparison)[keyof typeof Comparison];

/** How an alarm treats a period without data (CloudFormation values). */
export const MissingData = {
  NOT_BREACHING: 'notBreaching',
  BREACHING: 'breaching',
  IGNORE: 'ignore',
  MISSING: 'missing',
} as const;
export type MissingData = (typeof MissingData)[keyof typeof MissingData];

/** What one rule is instantiated for: once, per function, per table, or per watch-listed symbol. */
export const FanOut = {
  NONE: 'none',
  FUNCTION: 'function',
  TABLE: 'table',
  WATCHED_SYMBOL: 'watched-symbol',
} as const;
export type FanOut = (typeof FanOut)[keyof typeof FanOut];

/** Placeholders in dimension values, resolved per alarm by the CDK (and by the backtest's replay). */
export const Placeholder = {
  SERVICE: '{service}',
  FUNCTION: '{function}',
  TABLE: '{table}',
  SYMBOL: '{symbol}',
} as const;

/** The scheduled probe: ingestion-key age and the market clock. Not one of the four product functions. */
export const KEY_AGE_CHECK_NAME = 'key-age-check' as const;
export type MonitoredFunction = FunctionName | typeof KEY_AGE_CHECK_NAME;

export const AwsNamespace = { LAMBDA: 'AWS/Lambda', DYNAMODB: 'AWS/DynamoDB' } as const;

export const RuleId = {
  ACCURACY: 'model-accuracy-low',
  CALIBRATION: 'model-calibration-drift',
  TRACING_COST: 'tracing-cost-over-budget',
  RANKINGS_MISSING: 'rankings-missing',
  MARKET_DATA_STALE: 'market-data-stale',
  KEY_AGE: 'ingestion-key-old',
  KEY_ROTATION_FAILED: 'ingestion-key-rotation-failed',
  FUNCTION_ERRORS: 'function-errors',
  FUNCTION_THROTTLES: 'function-throttles',
  FUNCTION_DURATION: 'function-duration-p95',
  DYNAMODB_THROTTLES: 'dynamodb-throttles',
  AVAILABILITY_SLO: 'availability-slo',
  LATENCY_SLO: 'latency-slo',
} as const;
export type RuleId = (typeof RuleId)[keyof typeof RuleId];

/** A metric as a rule names it; dimension values may hold `Placeholder`s. */
export interface MetricRef {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** CloudWatch statistic: Sum, Average, Maximum, Minimum, SampleCount, p95, PR(:500), … */
  readonly statistic: string;
}

/** A product metric (namespace `TradingObservability`) with the `Service` dimension and any extra ones. */
export function productMetric(
  name: string,
  statistic: string,
  extra: Record<string, string> = {},
): MetricRef {
  return {
    namespace: METRICS_NAMESPACE,
    name,
    dimensions: { [MetricDimension.SERVICE]: Placeholder.SERVICE, ...extra },
    statistic,
  };
}

/** An AWS/Lambda metric of the function the alarm is built for. */
export function lambdaMetric(name: string, statistic: string): MetricRef {
  return {
    namespace: AwsNamespace.LAMBDA,
    name,
    dimensions: { FunctionName: Placeholder.FUNCTION },
    statistic,
  };
}

interface RuleBase {
  /** Stable id: the alarm's name suffix and the backtest's key. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly fanOut: FanOut;
  /** What the alarm means, for the person paged. */
  readonly description: string;
  /** The first thing to do (the runbook's first step). */
  readonly runbook: string;
  /** Actions are suppressed while this rule (id) is in ALARM: a critical alarm silences its warnings. */
  readonly suppressedBy?: string;
  /** With fan-out, notify once for any member (composite) instead of once per member. @default each */
  readonly notify?: 'each' | 'any';
}

export interface Evaluation {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly missingData: MissingData;
}

/** An alarm on one metric. */
export interface ThresholdRule extends RuleBase, Evaluation {
  readonly kind: 'threshold';
  readonly metric: MetricRef;
  /**
   * `absolute` (default) or `fraction-of-timeout`: the threshold is a share of the function's timeout
   * (for Duration), resolved per function.
   */
  readonly thresholdUnit?: 'absolute' | 'fraction-of-timeout';
}

/** An alarm on a metric-math expression over named metrics (each with the rule's period). */
export interface ExpressionRule extends RuleBase, Evaluation {
  readonly kind: 'expression';
  readonly expression: string;
  readonly metrics: Readonly<Record<string, MetricRef>>;
  /** Evidence gate the expression applies (documented and read by the backtest). */
  readonly minSamples?: number;
  /**
   * Window of prediction target times the tracker's `validate_all` summarises for this rule's metrics (minutes).
   * Short, so a degraded model shows within an hour of its first resolved predictions (the backtest replays it).
   */
  readonly lookbackMinutes?: number;
}

export interface BurnRateTier {
  readonly name: 'fast' | 'slow' | 'ticket';
  readonly factor: number;
  readonly longWindowMinutes: number;
  readonly shortWindowMinutes: number;
  readonly severity: Severity;
  /** A window's ratio counts only with at least this many events in it (low traffic does not page). */
  readonly minSamples: { readonly long: number; readonly short: number };
  /**
   * Hysteresis on recovery: the short-window alarm fires on 1 breaching period and clears only after this many
   * periods in a row without one, so a burst near the threshold does not page again and again.
   */
  readonly shortClearPeriods: number;
}

export interface AvailabilitySli {
  readonly kind: 'availability';
  /** bad = Lambda Errors, total = Lambda Invocations (both Sum), over the rule's functions. */
}

export interface LatencySli {
  readonly kind: 'latency';
  /** good = invocations with Duration ≤ thresholdMs, from the percentile-rank statistic PR(:thresholdMs). */
  readonly thresholdMs: number;
}

/** A multi-window, multi-burn-rate SLO alert: each tier is AND(long, short); higher tiers silence lower. */
export interface BurnRateRule extends RuleBase {
  readonly kind: 'burn-rate';
  readonly objective: number;
  readonly sloPeriodDays: number;
  readonly sli: AvailabilitySli | LatencySli;
  readonly functions: readonly MonitoredFunction[];
  /** Ordered from the highest factor down. */
  readonly tiers: readonly BurnRateTier[];
}

export type AlertRule = ThresholdRule | ExpressionRule | BurnRateRule;

export class AlertRuleError extends StackError {
  override readonly name: string = 'AlertRuleError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(StackErrorCode.ALERT_RULE_INVALID, message, options);
  }
}
