/**
 * The SLO rules: multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs") for availability and
 * p95 latency, and the SLI expression both the CDK alarms and the backtest evaluate.
 */
import { FUNCTION_NAMES } from '../../lambdas/shared/names/functions';
import type { AlertParams } from './alert-params';
import { burnRateThreshold } from './burn-rate';
import {
  type BurnRateRule,
  type BurnRateTier,
  FanOut,
  lambdaMetric,
  type MetricRef,
  type MonitoredFunction,
  RuleId,
  Severity,
} from './rule-types';

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
    // A 2 % burst sits just above 1.44 %: its 5-minute window swung between 1 and 2 failures and paged 4 times
    // in 12 minutes; clearing after 3 clean windows (15 min) pages it once (backtest).
    shortClearPeriods: 3,
  },
  {
    name: 'slow',
    factor: 6,
    longWindowMinutes: 360,
    shortWindowMinutes: 30,
    severity: Severity.CRITICAL,
    // More events than 2 / 0.6 %: two transient failures among a night's few runs and the open's first calls
    // fired the slow tier at 09:41 on a healthy day (backtest seed 2); 400 needs three.
    minSamples: { long: 400, short: 5 },
    shortClearPeriods: 1,
  },
  {
    name: 'ticket',
    factor: 3,
    longWindowMinutes: 3 * 24 * 60,
    shortWindowMinutes: 360,
    severity: Severity.WARNING,
    minSamples: { long: 1000, short: 500 },
    shortClearPeriods: 1,
  },
];

export function sloRules(params: AlertParams): BurnRateRule[] {
  return [
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
        { id: `e${index}`, function: fn, metric: lambdaMetric('Errors', 'Sum') },
        { id: `i${index}`, function: fn, metric: lambdaMetric('Invocations', 'Sum') },
      );
      bad.push(`FILL(e${index}, 0)`);
      total.push(`FILL(i${index}, 0)`);
    } else {
      metrics.push(
        { id: `d${index}`, function: fn, metric: lambdaMetric('Duration', 'SampleCount') },
        { id: `p${index}`, function: fn, metric: lambdaMetric('Duration', `PR(:${rule.sli.thresholdMs})`) },
      );
      bad.push(`FILL(d${index}, 0) * (100 - FILL(p${index}, 100)) / 100`);
      total.push(`FILL(d${index}, 0)`);
    }
  });
  const totalSum = `(${total.join(' + ')})`;
  return { expression: `IF(${totalSum} >= ${minSamples}, (${bad.join(' + ')}) / ${totalSum}, 0)`, metrics };
}
