/**
 * The business rules: tracing cost, rankings in market hours, market-data freshness, the ingestion key's age and
 * its rotation.
 */
import { ProductMetric } from '../../lambdas/shared/names/metrics';
import { type AlertParams, INGESTION_KEY_ROTATION_DAYS } from './alert-params';
import {
  Comparison,
  type ExpressionRule,
  FanOut,
  MissingData,
  Placeholder,
  productMetric,
  RuleId,
  Severity,
  type ThresholdRule,
} from './rule-types';

export function businessRules(params: AlertParams): Array<ThresholdRule | ExpressionRule> {
  const lagLimitSeconds = params.marketDataMaxLagMinutes * 60;
  return [
    {
      kind: 'threshold',
      id: RuleId.TRACING_COST,
      title: `Projected tracing cost above $${params.tracingBudgetPerDay}/day`,
      severity: Severity.WARNING,
      fanOut: FanOut.NONE,
      metric: productMetric(ProductMetric.ESTIMATED_TRACING_COST_PER_DAY, 'Maximum'),
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
        open: productMetric(ProductMetric.MARKET_SESSION_OPEN, 'Minimum'),
        produced: productMetric(ProductMetric.RANKINGS_PRODUCED, 'Sum'),
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
        open: productMetric(ProductMetric.MARKET_SESSION_OPEN, 'Minimum'),
        lag: productMetric(ProductMetric.MARKET_DATA_LAG_SECONDS, 'Minimum', { Symbol: Placeholder.SYMBOL }),
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
      // The safety net behind the rotation (issue 20): a rotation that did not happen pages, and so does a dead
      // probe, whose silence also blinds the market-hours alarms.
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      metric: productMetric(ProductMetric.INGESTION_KEY_AGE_DAYS, 'Maximum'),
      periodSeconds: 3600,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: params.keyMaxAgeDays,
      comparison: Comparison.GT,
      // The check runs every 5 minutes; an hour without its metric means the probe (and the market clock) is dead.
      missingData: MissingData.BREACHING,
      description:
        `The SigNoz ingestion key was last rotated more than ${params.keyMaxAgeDays} days ago (the scheduled ` +
        `rotation every ${INGESTION_KEY_ROTATION_DAYS} days did not succeed), or the key-age-check probe stopped ` +
        'reporting (then the market-hours alarms are blind too).',
      runbook:
        'If IngestionKeyAgeDays is on the dashboard, read ingestion-key-rotation’s errors, fix the cause and run ' +
        '`aws secretsmanager rotate-secret` on the key’s secret; if the metric is missing, check key-age-check’s ' +
        'errors.',
    },
    {
      kind: 'threshold',
      id: RuleId.KEY_ROTATION_FAILED,
      title: 'SigNoz ingestion-key rotation or revocation failed',
      // A failed rotation pages (issue 20): unattended, the key outlives its 90 days.
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      metric: productMetric(ProductMetric.INGESTION_KEY_ROTATION_FAILURES, 'Sum'),
      periodSeconds: 900,
      // Fires on the first failure, clears after 2 h without one: Secrets Manager retries a failed step and the
      // sweep runs every 15 minutes, so a failure that keeps recurring pages once, not on every retry.
      evaluationPeriods: 8,
      datapointsToAlarm: 1,
      // A rotation runs every 90 days and the sweep has work only after one: any failure is worth a look.
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        'A rotation step (createSecret, setSecret, testSecret, finishSecret) or the sweep that revokes replaced ' +
        'keys failed. The current key keeps working (no step moves it before the new one is proven); Secrets ' +
        'Manager retries the step, the sweep runs again in 15 minutes.',
      runbook:
        'Read ingestion-key-rotation’s errors (errors-by-function: error.code and message); fix SigNoz API access ' +
        'or the secret, then `aws secretsmanager rotate-secret` (or wait for the next sweep).',
    },
  ];
}
