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

export function modelQualityRules(params: AlertParams): ExpressionRule[] {
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
        ub: productMetric(ProductMetric.DIRECTIONAL_ACCURACY_UPPER_BOUND, 'Maximum'),
        n: productMetric(ProductMetric.VALIDATED_PREDICTIONS, 'Maximum'),
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
        ece: productMetric(ProductMetric.EXPECTED_CALIBRATION_ERROR, 'Maximum'),
        n: productMetric(ProductMetric.VALIDATED_PREDICTIONS, 'Maximum'),
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
  ];
}
