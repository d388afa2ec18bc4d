/** The model-quality rules: directional accuracy (Wilson-gated) and confidence calibration (ECE). */
import { ProductMetric } from '../../lambdas/shared/names/metrics';
import { type AlertParams, VALIDATION_LOOKBACK_MINUTES } from './alert-params';
import {
  Comparison,
  type ExpressionRule,
  FanOut,
  MissingData,
  productMetric,
  RuleId,
  Severity,
} from './rule-types';

/** The Logs Insights saved query (name suffix) that lists the groups the tracker found alerting. */
export const ALERTING_GROUPS_QUERY = 'alerting-groups';

/** The first step of both model-quality pages: which group, then what to do. */
const whichGroup =
  `See which group: run the Logs Insights saved query ".../${ALERTING_GROUPS_QUERY}" (one row per alerting ` +
  'model, symbol or overall, from the tracker\'s log), or the dashboard\'s "Alerting groups" widgets, or invoke ' +
  'dual-accuracy-tracker {"action":"report","limit":1} and read summary.alerts / calibrationAlerts. ';

export function modelQualityRules(params: AlertParams): ExpressionRule[] {
  const { accuracyThresholdPct: pct, accuracyMinSamples: minN, eceThreshold, eceMinSamples } = params;
  return [
    {
      kind: 'expression',
      id: RuleId.ACCURACY,
      title: `Directional accuracy significantly below ${pct} % (overall, a model or a symbol)`,
      severity: Severity.CRITICAL,
      fanOut: FanOut.NONE,
      // Wilson-gated overall (upper bound of the 95 % interval below the threshold, with enough validations),
      // and the same rule per model and per symbol, evaluated by the tracker and counted per kind: bounded cost
      // whatever the number of models, and one alarm, so one incident pages once.
      expression:
        `IF(FILL(models, 0) + FILL(symbols, 0) >= 1 OR (FILL(n, 0) >= ${minN} AND FILL(ub, 100) < ${pct}), ` +
        '1, 0)',
      metrics: {
        ub: productMetric(ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND, 'Maximum'),
        n: productMetric(ProductMetric.VALIDATED_PREDICTIONS, 'Maximum'),
        models: productMetric(ProductMetric.ACCURACY_ALERTING_MODELS, 'Maximum'),
        symbols: productMetric(ProductMetric.ACCURACY_ALERTING_SYMBOLS, 'Maximum'),
      },
      minSamples: minN,
      lookbackMinutes: VALIDATION_LOOKBACK_MINUTES,
      periodSeconds: 900,
      // Fires on the first breaching quarter-hour, clears after 2 h without one: a group near the line (a symbol
      // at 50 % holds ~90 validations per window, its upper bound hovers around 60 %) paged twice per incident
      // with a 1-hour recovery (backtest); 2 hours span the incident's resolving tail.
      evaluationPeriods: 8,
      datapointsToAlarm: 1,
      threshold: 1,
      comparison: Comparison.GTE,
      missingData: MissingData.NOT_BREACHING,
      description:
        `The direction hit rate of the models overall, of one model or of one symbol is below ${pct} % with 95 % ` +
        `confidence (Wilson upper bound < ${pct} %, n ≥ ${minN} validations of that group in the scheduled ` +
        `${VALIDATION_LOOKBACK_MINUTES}-minute window). Predictions the desk relies on are wrong too often.`,
      runbook:
        whichGroup +
        "Then flag that model's (or symbol's) signals as degraded for the desk and tell the model owner.",
    },
    {
      kind: 'expression',
      id: RuleId.CALIBRATION,
      title: `Confidence calibration error (ECE) above ${eceThreshold} (overall, a model or a symbol)`,
      severity: Severity.WARNING,
      fanOut: FanOut.NONE,
      suppressedBy: RuleId.ACCURACY,
      // The overall ECE as is (gated by its sample), or 1 when the tracker found any model or symbol above the
      // threshold with enough validations: both compare with the same threshold.
      expression:
        'IF(FILL(models, 0) + FILL(symbols, 0) >= 1, 1, ' +
        `IF(FILL(n, 0) >= ${eceMinSamples}, FILL(ece, 0), 0))`,
      metrics: {
        ece: productMetric(ProductMetric.EXPECTED_CALIBRATION_ERROR, 'Maximum'),
        n: productMetric(ProductMetric.VALIDATED_PREDICTIONS, 'Maximum'),
        models: productMetric(ProductMetric.CALIBRATION_ALERTING_MODELS, 'Maximum'),
        symbols: productMetric(ProductMetric.CALIBRATION_ALERTING_SYMBOLS, 'Maximum'),
      },
      minSamples: eceMinSamples,
      lookbackMinutes: VALIDATION_LOOKBACK_MINUTES,
      periodSeconds: 900,
      evaluationPeriods: 4,
      datapointsToAlarm: 2,
      threshold: eceThreshold,
      comparison: Comparison.GT,
      missingData: MissingData.NOT_BREACHING,
      description:
        `Expected calibration error above ${eceThreshold} (n ≥ ${eceMinSamples}) overall, for one model or for one ` +
        'symbol, in 2 of the last 4 quarter-hours: confidence no longer matches how often the model is right.',
      runbook:
        whichGroup +
        "Read that group's reliability table: if confidence is inflated, tell the model owner to recalibrate; do " +
        'not size positions on its confidence meanwhile.',
    },
  ];
}
