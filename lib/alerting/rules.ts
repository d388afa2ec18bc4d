/**
 * Every alert rule of the product, typed, in one place. The CDK alarms (monitoring.ts) and the backtest
 * (`npm run backtest`) both read `buildAlertRules(...)`, so what is deployed is what is backtested.
 * No CDK import here: the values are CloudFormation's own strings, usable by plain Node code.
 */
import { METRICS_NAMESPACE } from '../../layers/otel/src/constants';
import { FUNCTION_NAMES, type FunctionName } from '../function-names';
import { burnRateThreshold } from './burn-rate';

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

/** Metrics the product emits that the rules read (namespace `TradingObservability`, dimension `Service`). */
export const AlertMetric = {
  DIRECTIONAL_ACCURACY: 'DirectionalAccuracy',
  DIRECTIONAL_ACCURACY_UPPER_BOUND: 'DirectionalAccuracyUpperBound',
  ACCURACY_ALERT: 'AccuracyAlert',
  EXPECTED_CALIBRATION_ERROR: 'ExpectedCalibrationError',
  VALIDATED_PREDICTIONS: 'ValidatedPredictions',
  PRICE_ERROR_PCT: 'PriceErrorPct',
  OPPORTUNITIES_FOUND: 'OpportunitiesFound',
  TOP_OPPORTUNITY_SCORE: 'TopOpportunityScore',
  /** trading-intelligence, once per scheduled run that stored a ranking (not on skipped runs). */
  RANKINGS_PRODUCED: 'RankingsProduced',
  ESTIMATED_TRACING_COST_PER_DAY: 'EstimatedTracingCostPerDay',
  SAMPLED_VOLUME_REDUCTION_PCT: 'SampledVolumeReductionPct',
  /** dual-accuracy-tracker record_prices, per watch-listed symbol: now − newest price timestamp (s). */
  MARKET_DATA_LAG_SECONDS: 'MarketDataLagSeconds',
  /** key-age-check: age of the SigNoz ingestion key in days (from DescribeSecret metadata). */
  INGESTION_KEY_AGE_DAYS: 'IngestionKeyAgeDays',
  /** key-age-check, every 5 minutes: 1 while the NYSE regular session is open, else 0 (the market clock). */
  MARKET_SESSION_OPEN: 'MarketSessionOpen',
} as const;

export const AwsNamespace = { LAMBDA: 'AWS/Lambda', DYNAMODB: 'AWS/DynamoDB' } as const;

/** A metric as a rule names it; dimension values may hold `Placeholder`s. */
export interface MetricRef {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** CloudWatch statistic: Sum, Average, Maximum, Minimum, SampleCount, p95, PR(:500), … */
  readonly statistic: string;
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

interface Evaluation {
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

/** The knobs of the rules (from stack settings / context); the backtest uses the defaults. */
export interface AlertParams {
  readonly serviceName: string;
  readonly tracingBudgetPerDay: number;
  readonly watchlist: readonly string[];
  /** No price for a watched symbol for longer than this in the regular session → warning. */
  readonly marketDataMaxLagMinutes: number;
  readonly accuracyThresholdPct: number;
  readonly accuracyMinSamples: number;
  readonly eceThreshold: number;
  readonly eceMinSamples: number;
  readonly keyMaxAgeDays: number;
  readonly latencyThresholdMs: number;
  readonly availabilityObjective: number;
  readonly latencyObjective: number;
}

export const DEFAULT_ALERT_PARAMS: AlertParams = {
  serviceName: 'stock_analytics',
  tracingBudgetPerDay: 60,
  watchlist: ['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM'],
  marketDataMaxLagMinutes: 15,
  accuracyThresholdPct: 60,
  accuracyMinSamples: 30,
  eceThreshold: 0.15,
  eceMinSamples: 50,
  keyMaxAgeDays: 90,
  latencyThresholdMs: 500,
  availabilityObjective: 0.999,
  latencyObjective: 0.95,
};

/**
 * The SRE workbook's tiers: 14.4× over 1 h / 5 min and 6× over 6 h / 30 min page; 3× over 3 d / 6 h tickets.
 * Tuned by the backtest (docs/alert-quality.md): a long window needs more events than 1 / its threshold, so one
 * transient failure among a night's few scheduled runs can never fire a tier; the ticket tier burns at 3×, not 1×,
 * because after any real burst a 3-day window stays above 0.1 % for days and single later errors re-opened it.
 */
export const BURN_RATE_TIERS: readonly BurnRateTier[] = [
  {
    name: 'fast',
    factor: 14.4,
    longWindowMinutes: 60,
    shortWindowMinutes: 5,
    severity: Severity.CRITICAL,
    minSamples: { long: 100, short: 3 },
  },
  {
    name: 'slow',
    factor: 6,
    longWindowMinutes: 360,
    shortWindowMinutes: 30,
    severity: Severity.CRITICAL,
    minSamples: { long: 200, short: 5 },
  },
  {
    name: 'ticket',
    factor: 3,
    longWindowMinutes: 3 * 24 * 60,
    shortWindowMinutes: 360,
    severity: Severity.WARNING,
    minSamples: { long: 1000, short: 500 },
  },
];

/** The accuracy and calibration rules' validation window (`lookbackMinutes`): ≈ 360 validations at 12 a minute. */
export const VALIDATION_LOOKBACK_MINUTES = 30;

/** p95 Duration above this share of the function's timeout warns that invocations are close to timing out. */
export const DURATION_TIMEOUT_FRACTION = 0.8;

export const RuleId = {
  ACCURACY: 'model-accuracy-low',
  CALIBRATION: 'model-calibration-drift',
  TRACING_COST: 'tracing-cost-over-budget',
  RANKINGS_MISSING: 'rankings-missing',
  MARKET_DATA_STALE: 'market-data-stale',
  KEY_AGE: 'ingestion-key-old',
  FUNCTION_ERRORS: 'function-errors',
  FUNCTION_THROTTLES: 'function-throttles',
  FUNCTION_DURATION: 'function-duration-p95',
  DYNAMODB_THROTTLES: 'dynamodb-throttles',
  AVAILABILITY_SLO: 'availability-slo',
  LATENCY_SLO: 'latency-slo',
} as const;

const service = { Service: Placeholder.SERVICE } as const;
const ours = (name: string, statistic: string, extra: Record<string, string> = {}): MetricRef => ({
  namespace: METRICS_NAMESPACE,
  name,
  dimensions: { ...service, ...extra },
  statistic,
});
const lambda = (name: string, statistic: string): MetricRef => ({
  namespace: AwsNamespace.LAMBDA,
  name,
  dimensions: { FunctionName: Placeholder.FUNCTION },
  statistic,
});

/** All alert rules for the given parameters. */
export function buildAlertRules(params: AlertParams = DEFAULT_ALERT_PARAMS): readonly AlertRule[] {
  const lagLimitSeconds = params.marketDataMaxLagMinutes * 60;
  return [
    {
      kind: 'expression',
      id: RuleId.ACCURACY,
      title: `Directional accuracy significantly below ${params.accuracyThresholdPct} %`,
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      // Wilson-gated: the upper bound of the 95 % interval is below the threshold, with enough validations.
      expression: `IF(n >= ${params.accuracyMinSamples} AND ub < ${params.accuracyThresholdPct}, 1, 0)`,
      metrics: {
        ub: ours(AlertMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND, 'Maximum'),
        n: ours(AlertMetric.VALIDATED_PREDICTIONS, 'Maximum'),
      },
      minSamples: params.accuracyMinSamples,
      lookbackMinutes: VALIDATION_LOOKBACK_MINUTES,
      periodSeconds: 900,
      evaluationPeriods: 4,
      datapointsToAlarm: 1,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        `The models' direction hit rate is below ${params.accuracyThresholdPct} % with 95 % confidence ` +
        `(Wilson upper bound < ${params.accuracyThresholdPct} %, n ≥ ${params.accuracyMinSamples} validations). ` +
        'Predictions the desk relies on are wrong more often than a coin flip allows.',
      runbook:
        'Invoke dual-accuracy-tracker {"action":"report"} and look at byModel / bySymbol: find the model or symbol ' +
        'that dropped, then flag its signals as degraded for the desk and tell the model owner.',
    },
    {
      kind: 'expression',
      id: RuleId.CALIBRATION,
      title: `Confidence calibration error (ECE) above ${params.eceThreshold}`,
      severity: Severity.WARNING,
      fanOut: FanOut.NONE,
      suppressedBy: RuleId.ACCURACY,
      expression: `IF(n >= ${params.eceMinSamples}, ece, 0)`,
      metrics: {
        ece: ours(AlertMetric.EXPECTED_CALIBRATION_ERROR, 'Maximum'),
        n: ours(AlertMetric.VALIDATED_PREDICTIONS, 'Maximum'),
      },
      minSamples: params.eceMinSamples,
      lookbackMinutes: VALIDATION_LOOKBACK_MINUTES,
      periodSeconds: 900,
      evaluationPeriods: 4,
      datapointsToAlarm: 2,
      threshold: params.eceThreshold,
      comparison: Comparison.GT,
      missingData: MissingData.NOT_BREACHING,
      description:
        `Expected calibration error above ${params.eceThreshold} in 2 of the last 4 quarter-hours: the models' ` +
        'confidence no longer matches how often they are right (usually over-confidence).',
      runbook:
        'Invoke dual-accuracy-tracker {"action":"report"} and read the reliability table of the worst model: ' +
        'if confidence is inflated, tell the model owner to recalibrate; do not trade on confidence meanwhile.',
    },
    {
      kind: 'threshold',
      id: RuleId.TRACING_COST,
      title: `Projected tracing cost above $${params.tracingBudgetPerDay}/day`,
      severity: Severity.WARNING,
      fanOut: FanOut.NONE,
      metric: ours(AlertMetric.ESTIMATED_TRACING_COST_PER_DAY, 'Maximum'),
      periodSeconds: 900,
      // One run suffices: the metric is the projection after the optimizer's own correction (each probability
      // at most ÷2 a run), so above budget means volume more than doubled within a quarter-hour; two runs in a
      // row never happen, the second correction hides the spike by sampling everything less (backtest).
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: params.tracingBudgetPerDay,
      comparison: Comparison.GT,
      missingData: MissingData.NOT_BREACHING,
      description:
        `The sampling optimizer projected a daily tracing cost above $${params.tracingBudgetPerDay} even after its ` +
        'own correction: span volume more than doubled within 15 minutes, faster than sampling can follow.',
      runbook:
        'Invoke sampling-optimizer {"action":"status"}: find the category whose span volume grew (SpansStarted by ' +
        'Category on the dashboard), then fix the emitter or lower that category’s probability.',
    },
    {
      kind: 'expression',
      id: RuleId.RANKINGS_MISSING,
      title: 'No opportunity rankings produced during market hours',
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      // `open` (the market clock) is Minimum over the period: only quarter-hours fully inside the regular session
      // count, so nights, weekends, holidays and early closes can never fire this alarm.
      expression: 'IF(open >= 1 AND FILL(produced, 0) < 1, 1, 0)',
      metrics: {
        open: ours(AlertMetric.MARKET_SESSION_OPEN, 'Minimum'),
        produced: ours(AlertMetric.RANKINGS_PRODUCED, 'Sum'),
      },
      periodSeconds: 900,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        'Two consecutive 15-minute ranking runs produced no ranking while the NYSE regular session was open: ' +
        'the desk is looking at stale opportunity scores.',
      runbook:
        'Check trading-intelligence errors in Logs Insights ("errors by function"), then the EventBridge schedule ' +
        'of trading-intelligence; invoke {"action":"analyze"} by hand to confirm it works.',
    },
    {
      kind: 'expression',
      id: RuleId.MARKET_DATA_STALE,
      title: `No price for a watched symbol for more than ${params.marketDataMaxLagMinutes} minutes in the session`,
      severity: Severity.WARNING,
      fanOut: FanOut.WATCHED_SYMBOL,
      notify: 'any',
      // A window without any price counts as stale (FILL with a day); outside the session nothing counts.
      expression: 'IF(open >= 1, FILL(lag, 86400), 0)',
      metrics: {
        open: ours(AlertMetric.MARKET_SESSION_OPEN, 'Minimum'),
        lag: ours(AlertMetric.MARKET_DATA_LAG_SECONDS, 'Minimum', { Symbol: Placeholder.SYMBOL }),
      },
      periodSeconds: lagLimitSeconds,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: lagLimitSeconds,
      comparison: Comparison.GT,
      missingData: MissingData.NOT_BREACHING,
      description:
        `A watched symbol had no fresh price for a whole ${params.marketDataMaxLagMinutes}-minute window of the ` +
        'regular session: accuracy validation and opportunity scores for it are running on stale data.',
      runbook:
        'Open the dashboard’s "Market data lag" widget to see which symbols are stale; check the price feed that ' +
        'calls dual-accuracy-tracker record_prices (its errors and its last successful call).',
    },
    {
      kind: 'threshold',
      id: RuleId.KEY_AGE,
      title: `SigNoz ingestion key older than ${params.keyMaxAgeDays} days (or its check stopped)`,
      severity: Severity.WARNING,
      fanOut: FanOut.NONE,
      metric: ours(AlertMetric.INGESTION_KEY_AGE_DAYS, 'Maximum'),
      periodSeconds: 3600,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: params.keyMaxAgeDays,
      comparison: Comparison.GT,
      // The check runs every 5 minutes; an hour without its metric means the probe (and the market clock) is dead.
      missingData: MissingData.BREACHING,
      description:
        `The SigNoz ingestion key was last rotated more than ${params.keyMaxAgeDays} days ago, or the ` +
        'key-age-check probe stopped reporting (then the market-hours alarms are blind too).',
      runbook:
        'If IngestionKeyAgeDays is on the dashboard, rotate the key in SigNoz and put the new value in the secret ' +
        '(functions pick it up on the next cold start); if it is missing, check key-age-check’s errors.',
    },
    {
      kind: 'threshold',
      id: RuleId.FUNCTION_ERRORS,
      title: 'Lambda errors',
      severity: Severity.WARNING,
      fanOut: FanOut.FUNCTION,
      suppressedBy: RuleId.AVAILABILITY_SLO,
      metric: lambda('Errors', 'Sum'),
      periodSeconds: 900,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // A failed scheduled run is retried twice by Lambda: 3 errors; one transient error does not warn.
      threshold: 3,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description: 'The function failed (threw or timed out) at least 3 times in 15 minutes.',
      runbook:
        'Run the Logs Insights query "errors by function": read error.type / error.message and follow trace_id ' +
        'into SigNoz.',
    },
    {
      kind: 'threshold',
      id: RuleId.FUNCTION_THROTTLES,
      title: 'Lambda throttles',
      severity: Severity.WARNING,
      fanOut: FanOut.FUNCTION,
      suppressedBy: RuleId.AVAILABILITY_SLO,
      metric: lambda('Throttles', 'Sum'),
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        'Invocations were throttled in 2 of the last 3 five-minute periods: concurrency is exhausted.',
      runbook:
        'Check the account’s ConcurrentExecutions and the function’s reserved concurrency; look for a caller ' +
        'retrying in a loop.',
    },
    {
      kind: 'threshold',
      id: RuleId.FUNCTION_DURATION,
      title: `Lambda p95 duration above ${DURATION_TIMEOUT_FRACTION * 100} % of the timeout`,
      severity: Severity.WARNING,
      fanOut: FanOut.FUNCTION,
      suppressedBy: RuleId.LATENCY_SLO,
      metric: lambda('Duration', 'p95'),
      thresholdUnit: 'fraction-of-timeout',
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: DURATION_TIMEOUT_FRACTION,
      comparison: Comparison.GT,
      missingData: MissingData.NOT_BREACHING,
      description:
        `p95 duration stayed above ${DURATION_TIMEOUT_FRACTION * 100} % of the function's timeout for 15 minutes: ` +
        'invocations are about to time out.',
      runbook:
        'Run the Logs Insights query "slow invocations" and open the slowest trace in SigNoz: look for a slow ' +
        'DynamoDB query or a telemetry export waiting on its bound.',
    },
    {
      kind: 'expression',
      id: RuleId.DYNAMODB_THROTTLES,
      title: 'DynamoDB throttled requests',
      severity: Severity.WARNING,
      fanOut: FanOut.TABLE,
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      metrics: {
        reads: {
          namespace: AwsNamespace.DYNAMODB,
          name: 'ReadThrottleEvents',
          dimensions: { TableName: Placeholder.TABLE },
          statistic: 'Sum',
        },
        writes: {
          namespace: AwsNamespace.DYNAMODB,
          name: 'WriteThrottleEvents',
          dimensions: { TableName: Placeholder.TABLE },
          statistic: 'Sum',
        },
      },
      periodSeconds: 300,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        'The on-demand table throttled reads or writes in 2 of the last 3 five-minute periods (a hot partition ' +
        'or the account’s table throughput limit).',
      runbook:
        'Open the table’s CloudWatch Contributor Insights / metrics to find the hot key; check batch writers ' +
        '(validate_all, record_*) for bursts.',
    },
    {
      kind: 'burn-rate',
      id: RuleId.AVAILABILITY_SLO,
      title: `Availability SLO ${params.availabilityObjective * 100} % burning`,
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      objective: params.availabilityObjective,
      sloPeriodDays: 30,
      sli: { kind: 'availability' },
      functions: [...FUNCTION_NAMES],
      tiers: BURN_RATE_TIERS,
      description:
        'The product functions fail (Errors / Invocations) fast enough to spend the 30-day error budget of the ' +
        `${params.availabilityObjective * 100} % availability SLO early.`,
      runbook:
        'Run the Logs Insights query "errors by function" for the last hour: find the failing function and ' +
        'error.type; if it follows a deploy, roll back.',
    },
    {
      kind: 'burn-rate',
      id: RuleId.LATENCY_SLO,
      title: `Latency SLO (${params.latencyObjective * 100} % of invocations ≤ ${params.latencyThresholdMs} ms) burning`,
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      objective: params.latencyObjective,
      sloPeriodDays: 30,
      sli: { kind: 'latency', thresholdMs: params.latencyThresholdMs },
      // The demo runs for minutes by design; the SLO covers the functions people and schedules wait on.
      functions: FUNCTION_NAMES.filter((name) => name !== 'observability-demo'),
      tiers: BURN_RATE_TIERS,
      description:
        `More than the budgeted share of invocations take over ${params.latencyThresholdMs} ms (p95 < ` +
        `${params.latencyThresholdMs} ms as an SLO: ${params.latencyObjective * 100} % of invocations under it).`,
      runbook:
        'Run the Logs Insights query "slow invocations": find the function and its slow traces in SigNoz; check ' +
        'DynamoDB latency and the telemetry export time.',
    },
  ];
}

/** The alarm threshold (bad ratio) of each tier of a burn-rate rule. */
export function tierThresholds(rule: BurnRateRule): Array<{ tier: BurnRateTier; threshold: number }> {
  return rule.tiers.map((tier) => ({ tier, threshold: burnRateThreshold(rule.objective, tier.factor) }));
}

/** One metric of a burn-rate SLI expression, for one function (dimension `FunctionName` = `{function}`). */
export interface SliMetric {
  readonly id: string;
  readonly function: MonitoredFunction;
  readonly metric: MetricRef;
}

/**
 * The SLI of a burn-rate rule as a bad-event ratio over one window: a metric-math expression over per-function
 * metrics, 0 when the window holds fewer than `minSamples` events (no evidence, no page).
 * Availability: Σ Errors / Σ Invocations. Latency: Σ SampleCount × (100 − PR(:ms)) / 100 / Σ SampleCount, where
 * PR(:ms) is CloudWatch's percentile rank, the percentage of invocations with Duration ≤ ms.
 */
export function burnRateSli(
  rule: BurnRateRule,
  minSamples: number,
): { readonly expression: string; readonly metrics: readonly SliMetric[] } {
  const metrics: SliMetric[] = [];
  const bad: string[] = [];
  const total: string[] = [];
  rule.functions.forEach((fn, index) => {
    if (rule.sli.kind === 'availability') {
      metrics.push(
        { id: `e${index}`, function: fn, metric: lambda('Errors', 'Sum') },
        { id: `i${index}`, function: fn, metric: lambda('Invocations', 'Sum') },
      );
      bad.push(`FILL(e${index}, 0)`);
      total.push(`FILL(i${index}, 0)`);
    } else {
      metrics.push(
        { id: `d${index}`, function: fn, metric: lambda('Duration', 'SampleCount') },
        { id: `p${index}`, function: fn, metric: lambda('Duration', `PR(:${rule.sli.thresholdMs})`) },
      );
      bad.push(`FILL(d${index}, 0) * (100 - FILL(p${index}, 100)) / 100`);
      total.push(`FILL(d${index}, 0)`);
    }
  });
  const totalSum = `(${total.join(' + ')})`;
  return { expression: `IF(${totalSum} >= ${minSamples}, (${bad.join(' + ')}) / ${totalSum}, 0)`, metrics };
}

export class AlertRuleError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlertRuleError';
  }
}

export function findRule(rules: readonly AlertRule[], id: string): AlertRule {
  const rule = rules.find((candidate) => candidate.id === id);
  if (!rule) throw new AlertRuleError(`no alert rule "${id}"`);
  return rule;
}

/** Replaces placeholders in a metric's dimensions. */
export function resolveDimensions(
  metric: MetricRef,
  values: { service: string; function?: string; table?: string; symbol?: string },
): Record<string, string> {
  const replacements: Record<string, string | undefined> = {
    [Placeholder.SERVICE]: values.service,
    [Placeholder.FUNCTION]: values.function,
    [Placeholder.TABLE]: values.table,
    [Placeholder.SYMBOL]: values.symbol,
  };
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(metric.dimensions)) {
    const replacement = value in replacements ? replacements[value] : value;
    if (replacement === undefined) throw new AlertRuleError(`metric ${metric.name}: no value for ${value}`);
    resolved[key] = replacement;
  }
  return resolved;
}
